"""A settable clock for the records (the rows' times), so days, due dates and retention can be tested:

    records = Records(records_url, clock=(clock := Clock(datetime(2026, 3, 1, 9, 0).astimezone())))
    clock.when += timedelta(days=31)
"""

from __future__ import annotations

from datetime import datetime


class Clock:
    def __init__(self, when: datetime):
        self.when = when

    def __call__(self) -> datetime:
        return self.when
