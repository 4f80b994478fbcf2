"""What happens in sign-in that Django's own authentication signals do not
tell. Django sends `user_logged_in`, `user_logged_out` and
`user_login_failed`, and axes `user_locked_out`; a wrong code or passkey
in the second step of sign-in is sent here, by skranke/sign_in. The access
log listens to all of them (access_log/apps.py), so that sign-in never
calls the log and no path can forget it.

The signal is defined here, not in sign_in, because the access log stands
below sign_in and may not import it: both stand above accounts and meet
here."""

from django.dispatch import Signal

# Sent with `request` and `user` (the staff member who passed the password).
second_factor_failed = Signal()

# Set on the request by sign_in before login(), where the second step of
# sign-in is still to come: the access log then notes the password as
# accepted, not the staff member as signed in (sign_in notes that after
# the second step).
SECOND_FACTOR_TO_COME = "second_factor_to_come"
