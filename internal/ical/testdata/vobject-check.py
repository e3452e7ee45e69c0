# Reads iCalendar files with python3-vobject's strict validation (its own
# validate() rejects a missing PRODID, UID or DTSTAMP and bad lines) and
# prints each event's UID, SEQUENCE, STATUS, start and summary, so that the
# Go test compares what a real parser read with what was written.
import sys, vobject
for f in sys.argv[1:]:
    with open(f, encoding="utf-8", newline="") as fh:
        cal = vobject.readOne(fh, validate=True)
    cal.validate(raiseException=True)
    for ev in cal.vevent_list:
        print("\t".join([ev.uid.value, ev.sequence.value, ev.status.value,
                         ev.dtstart.value.isoformat(), ev.summary.value.replace("\n", "\\n")]))
