"""The counter: minutes per service, a simulated week (and what-if changes
to it), and the desks each half hour needs."""
