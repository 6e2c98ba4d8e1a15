"""The hall's statistics, monthly assessment and quarterly ranking, and what-if staffing: pure
Python (no Qt, SQL or HTTP). Figures and their definitions: `figures`; the period parser:
`period`; facts derived from the records: `facts`; the scoring scheme: `scheme`; the ranking:
`ranking`; the simulation: `simulation`."""
