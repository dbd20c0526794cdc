#!/usr/bin/env python3
"""What reading an event system's exports costs: `source` (read, checked,
rendered to Typst: the readers' work) and `check` (laid out too) of a
workshop whose agenda is the largest Indico timetable and iCalendar file
the tool takes (2000 entries), and of the hostile ones it refuses (a
recurrence every second, a 50 MB file); release build, 11 rounds after one
to warm up, medians; peak memory of `check` from /usr/bin/time.

    python3 benches/exports.py
"""
import json, os, statistics, subprocess, tempfile, time

B = os.path.abspath("target/release/workshop-report")
RECORD = """title: Bench
language: en
dates:
  start: 2025-03-10
  end: 2025-03-14
organisers:
  - name: O
chapters:
  - title: B
    text: A.
annexes:
  - agenda:
      {key}: {file}
      time_zones:
        - {{label: Geneva, zone: Europe/Zurich}}
        - {{label: Hanoi, zone: Asia/Ho_Chi_Minh}}
        - {{label: New York, zone: America/New_York}}
"""


def timetable(n):
    """n contributions over five days, as Indico's serializer writes them."""
    days = {}
    for i in range(n):
        day, minute = 10 + i % 5, (i // 5) % 600
        start = f"{8 + minute // 60:02}:{minute % 60:02}:00"
        end = f"{8 + (minute + 1) // 60:02}:{(minute + 1) % 60:02}:00"
        zone = "Europe/Zurich"
        days.setdefault(f"202503{day}", {})[f"c{i}"] = {
            "startDate": {"date": f"2025-03-{day}", "time": start, "tz": zone},
            "endDate": {"date": f"2025-03-{day}", "time": end, "tz": zone},
            "id": f"c{i}", "entryType": "Contribution", "title": f"Contribution {i} on digital government",
            "description": "A talk. " * 20,
            "presenters": [{"firstName": "Ana", "familyName": f"Silva {i}", "name": f"Ana Silva {i}", "affiliation": "UN"}],
        }
    return json.dumps({"count": 1, "additionalInfo": {}, "ts": 0, "url": "", "results": {"1": days}, "_type": "HTTPAPIResult"})


def calendar(n):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for i in range(n):
        day, minute = 10 + i % 5, (i // 5) % 600
        at = f"202503{day}T{8 + minute // 60:02}{minute % 60:02}00"
        lines += ["BEGIN:VEVENT", f"UID:{i}@bench", f"SUMMARY:Event {i} on digital government",
                  f"DTSTART;TZID=Europe/Zurich:{at}", "DURATION:PT1M", "DESCRIPTION:" + "A talk. " * 20, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def bomb():
    return calendar(0).replace("END:VCALENDAR", "BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Tick\r\nDTSTART:20250101T000000Z\r\n"
                               "RRULE:FREQ=SECONDLY;COUNT=31536000\r\nEND:VEVENT\r\nEND:VCALENDAR")


def measure(name, key, file, text):
    with tempfile.TemporaryDirectory() as d:
        ws = os.path.join(d, "ws")
        os.makedirs(ws)
        with open(os.path.join(ws, "workshop.yaml"), "w") as f:
            f.write(RECORD.format(key=key, file=file))
        with open(os.path.join(ws, file), "w", newline="") as f:
            f.write(text)
        times = {"source": [], "check": []}
        for i in range(12):
            for command in times:
                t = time.perf_counter()
                args = [B, command, ws] + (["--in-process"] if command == "check" else [])
                subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if i:
                    times[command].append((time.perf_counter() - t) * 1000)
        mem = subprocess.run(["/usr/bin/time", "-f", "%M", B, "check", ws, "--in-process"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr.strip().splitlines()[-1]
        median = {k: statistics.median(v) for k, v in times.items()}
        print(f"| {name} | {len(text.encode()) / 1e6:.1f} MB | {median['source']:.0f} ms | {median['check']:.0f} ms | {int(mem) / 1024:.0f} MiB |")


print("| input | size | `source` | `check` | peak memory |")
print("| --- | --- | --- | --- | --- |")
measure("Indico timetable, 2000 contributions", "indico", "timetable.json", timetable(2000))
measure("iCalendar, 2000 events", "icalendar", "agenda.ics", calendar(2000))
measure("iCalendar, a recurrence every second (refused)", "icalendar", "agenda.ics", bomb())
measure("iCalendar, 50 MB (refused by its size)", "icalendar", "agenda.ics", calendar(0) + "X-PAD:x\r\n" * 5_000_000)
