"""The formats of config/formats/<language>/formats.py (FORMAT_MODULE_PATH): the same in each
language, so that a page never shows a date one way beside a date another way; Django's own
per-language modules still give the month names, decimal marks and first day of the week
wherever these leave a name out."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "d/m"
YEAR_MONTH_FORMAT = "m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1  # Monday
