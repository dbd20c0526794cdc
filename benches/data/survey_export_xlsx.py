"""A Microsoft Forms-style survey export of 100,000 respondents as .xlsx
(15 scale questions, a multiple choice with options holding `,` and `;`,
a free-text question answered by one in ten), and its record, for
measuring how the tool reads large workbooks (BENCHMARKS.md):

    python3 benches/data/survey_export_xlsx.py /tmp/big
    /usr/bin/time -f "%e s %M KiB" workshop-report tally /tmp/big

Needs openpyxl (pip install openpyxl).
"""
import os, sys
import openpyxl, datetime, random, csv
random.seed(1)
scale=["Very satisfied","Satisfied","Neutral","Unsatisfied","Very unsatisfied"]
opts=["Data governance, privacy and security","Digital identity; interoperability","Open data"]
wb=openpyxl.Workbook(write_only=True); ws=wb.create_sheet("Sheet1")
head=["ID","Start time","Completion time","Email","Name","Last modified time"]+[f"Question {i}" for i in range(1,16)]+["Topics","Comments"]
ws.append(head)
rows=[]
t0=datetime.datetime(2024,5,14,9)
for r in range(100000):
    s=t0+datetime.timedelta(seconds=r*7)
    row=[r+1,s,s+datetime.timedelta(seconds=200+r%300),f"r{r}@example.org","",None]+[random.choice(scale) for _ in range(15)]+[";".join(random.sample(opts,2))+";", "Some comment number %d"%r if r%10==0 else None]
    ws.append(row)
out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
wb.save(os.path.join(out, "export.xlsx"))
questions = "\n".join(f"        - {{title: Question {i}, scale: satisfaction}}" for i in range(1, 16))
with open(os.path.join(out, "workshop.yaml"), "w") as f:
    f.write(f"""title: T
dates: {{start: 2024-05-14, end: 2024-05-14}}
annexes:
  - feedback:
      responses: export.xlsx
      questions:
{questions}
        - title: Topics
          options:
            - Data governance, privacy and security
            - Digital identity; interoperability
            - Open data
        - {{title: Comments, kind: text, show: none}}
""")
