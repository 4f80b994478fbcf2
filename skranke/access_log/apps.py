from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessLogConfig(AppConfig):
    name = "skranke.access_log"
    label = "access_log"
    verbose_name = _("Staff access log")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from skranke.access_log import sign_ins
        from skranke.accounts.signals import second_factor_failed

        # Sign-ins, sign-outs and failures go into the access log whatever
        # backend or page caused them (sign_ins.py says why signals here).
        # Axes is earlier in INSTALLED_APPS, so its own failure receiver has
        # marked a locked request before note_failed reads the mark.
        user_logged_in.connect(sign_ins.note_signed_in, dispatch_uid="skranke_log_sign_in")
        user_logged_out.connect(sign_ins.note_signed_out, dispatch_uid="skranke_log_sign_out")
        user_login_failed.connect(sign_ins.note_failed, dispatch_uid="skranke_log_sign_in_failed")
        user_locked_out.connect(sign_ins.note_locked_out, dispatch_uid="skranke_log_locked_out")
        second_factor_failed.connect(
            sign_ins.note_second_factor_failed, dispatch_uid="skranke_log_second_factor_failed"
        )
