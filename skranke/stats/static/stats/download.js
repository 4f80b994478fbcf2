// A download that takes a while (the annual report's PDF): after a second,
// say so in the status line, fetch the file, and hand it over when it is
// ready. Without JavaScript, or if anything fails, the link works as a link.
document.querySelectorAll("a[data-download-progress]").forEach((link) => {
  const status = document.querySelector(".download-progress");
  link.addEventListener("click", async (event) => {
    if (!window.fetch || !status) {
      return;
    }
    event.preventDefault();
    const timer = window.setTimeout(() => {
      status.hidden = false;
    }, 1000);
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const disposition = response.headers.get("Content-Disposition") || "";
      const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || "rapport.pdf";
      const url = URL.createObjectURL(await response.blob());
      const save = document.createElement("a");
      save.href = url;
      save.download = name;
      document.body.appendChild(save);
      save.click();
      save.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      window.location.href = link.href;
    } finally {
      window.clearTimeout(timer);
      status.hidden = true;
    }
  });
});
