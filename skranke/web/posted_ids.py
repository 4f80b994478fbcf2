"""A row's id as a form posts it (or a link gives it): a number, or 0,
which names no row, when it is missing or not a number. A lookup by it
then finds nothing, and the page says so, instead of failing."""


def read_posted_id(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
