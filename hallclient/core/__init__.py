"""Pure domain logic: catalog, search ranking, checklist decisions, working days, validators.

Never imports Qt, SQL or HTTP: the GUI, the CLI, the central service and the tests share it.
"""
