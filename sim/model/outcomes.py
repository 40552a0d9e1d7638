"""What one replication cost, and how much of it the delay cost.

Picture the Deir ez-Zor replay: the first call came at 16:25 and the message
got through at 16:52. Had that first call been acted on at once, the abort
order would have gone out a relay delay later and reached the aircraft an
abort latency after that. Every release that fell after that moment is harm
*due to delay*. The counterfactual uses this replication's own draws (the
same releases, the same harm, the same relay delay and latency), so it is an
exact paired difference, not the gap between two noisy runs.
"""

from __future__ import annotations

import math
from typing import Optional

from sim.model.caller import CallRecord
from sim.model.notification import NoticeRecord
from sim.model.strike import StrikeRecord

NAN = math.nan


def strike_outcomes(strike: StrikeRecord, planned: int, call: CallRecord,
                    notice: Optional[NoticeRecord], relay_delay: float,
                    abort_latency: float) -> dict[str, float]:
    fallen = strike.fallen
    first, through = call.first_call, call.message_through
    counterfactual_stop = first + relay_delay + abort_latency if not math.isnan(first) else math.inf
    late = [r for r in fallen if r.time >= counterfactual_stop]
    hold_end = through if not math.isnan(through) else math.inf
    during = [r for r in fallen if first <= r.time < hold_end] if not math.isnan(first) else []
    return {
        "first_call": first,
        "message_through": through,
        "time_to_message": through - first,
        "hold_time": call.hold_time if call.attempts else NAN,
        "attempts": float(call.attempts),
        "abort_order": strike.abort_order,
        "strike_stop": strike.stop_time if strike.stop_time < math.inf else NAN,
        "strike_held": float(not fallen and planned > 0 and strike.stop_time < math.inf),
        "releases_planned": float(planned),
        "releases_total": float(len(fallen)),
        "releases_before_message": float(len(during)),
        "killed_total": sum((r.killed for r in fallen), 0.0),
        "wounded_total": sum((r.wounded for r in fallen), 0.0),
        "counterfactual_stop": counterfactual_stop if counterfactual_stop < math.inf else NAN,
        "releases_due_to_delay": float(len(late)),
        "killed_due_to_delay": sum((r.killed for r in late), 0.0),
        "wounded_due_to_delay": sum((r.wounded for r in late), 0.0),
        "notice_caught": NAN if notice is None or math.isnan(notice.sent) else float(notice.caught),
        "notice_error_km": NAN if notice is None else notice.error_km,
    }
