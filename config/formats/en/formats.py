# One way of writing dates and times on every page, in every language (issue 14): day/month/year
# with Western digits and a 24-hour clock, as Moroccan administrations write them; the date
# inputs ask for the same (core.widgets.DateInput) and accept ISO dates too.
from config.formats.common import *  # noqa: F403
