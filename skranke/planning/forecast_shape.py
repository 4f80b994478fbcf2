"""The shape of demand the forecast's level is multiplied by: how each
weekday, and where a year of history shows them, the seasons of the year
raise or lower a day against the level.

Without seasons, or with less than a year of history, the shape is the
weekdays' alone: each weekday's mean over the overall mean, as a manager
would reckon it.

With seasons and a year of history, the shape is read from a Poisson regression of the days'
counts on the weekday, two yearly waves (a sine and a cosine of the day
of the year, and of twice it) and a straight trend: citizens who each
decide for themselves come as Poisson counts, and two waves are enough
to carry a spring passport season and a quiet July without chasing last
year's chance days. The trend is fitted only so that growth is not
mistaken for season; the forecast's level, which follows the days as
they come, carries it forward (forecast.py), so a centre whose demand
stepped up last month is not held to last year's.
"""

import math
from collections.abc import Callable, Sequence
from datetime import date
from warnings import catch_warnings, simplefilter

import numpy as np

YEAR_DAYS = 364  # a history spanning this many days or more shows a year's seasons
HARMONICS = 2
DAYS_PER_YEAR = 365.25

Shape = Callable[[Sequence[date]], np.ndarray]


def fit_shape(
    *, days: Sequence[date], values: np.ndarray, lifts: np.ndarray, seasons: bool
) -> Shape:
    """The shape of `values` (counts on the open `days`, in order, each
    taken under its event's lift, `lifts`), averaging 1 over `days`, with
    the year's `seasons` if the days span a year. A weekday the history
    has no day of gets 0: the centre is closed then."""
    if seasons and (days[-1] - days[0]).days >= YEAR_DAYS:
        return _seasons_shape(days=days, values=values, lifts=lifts)
    return _weekday_shape(days=days, values=values / lifts)


def _weekday_shape(*, days: Sequence[date], values: np.ndarray) -> Shape:
    weekdays = np.array([day.weekday() for day in days])
    overall = values.mean()
    factors = np.zeros(7)
    for weekday in np.unique(weekdays):
        factors[weekday] = values[weekdays == weekday].mean() / overall if overall else 1.0
    return lambda wanted: factors[[day.weekday() for day in wanted]]


def _seasons_shape(*, days: Sequence[date], values: np.ndarray, lifts: np.ndarray) -> Shape:
    # statsmodels is imported here: it takes a second to load, and only
    # the planning pages need it.
    import statsmodels.api as sm

    weekdays = sorted({day.weekday() for day in days})
    first = days[0]
    columns = _seasons_columns(days, weekdays=weekdays)
    years = np.array([(day - first).days / DAYS_PER_YEAR for day in days])
    with catch_warnings():
        # A centre with a weekday of no citizens gives "perfect separation"
        # warnings; its fit is still the best.
        simplefilter("ignore")
        fitted = sm.GLM(
            values,
            np.column_stack([columns, years]),
            family=sm.families.Poisson(),
            offset=np.log(lifts),
        ).fit()
    coefficients = np.asarray(fitted.params, dtype=float)[:-1]
    scale = float(np.mean(np.exp(columns @ coefficients)))

    def shape(wanted: Sequence[date]) -> np.ndarray:
        if not wanted:
            return np.zeros(0)
        open_weekday = np.array([day.weekday() in weekdays for day in wanted])
        factors = np.exp(_seasons_columns(wanted, weekdays=weekdays) @ coefficients) / scale
        return np.where(open_weekday, factors, 0.0)

    return shape


def _seasons_columns(days: Sequence[date], *, weekdays: Sequence[int]) -> np.ndarray:
    """One column per weekday the centre is open (its own level), and a
    sine and a cosine per yearly wave."""
    angle = np.array([2 * math.pi * day.timetuple().tm_yday / DAYS_PER_YEAR for day in days])
    columns = [
        np.array([day.weekday() == weekday for day in days], dtype=float) for weekday in weekdays
    ]
    for harmonic in range(1, HARMONICS + 1):
        columns += [np.cos(harmonic * angle), np.sin(harmonic * angle)]
    return np.column_stack(columns)
