from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    """The admin pages where administrators and managers set up their
    municipality: locations, opening hours, special days, desks, shifts and
    services. The models are core's; their pages live here, above booking,
    because a change of hours warns about the bookings it strands."""

    name = "skranke.configuration"
