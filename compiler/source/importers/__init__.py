"""`qingdan import`: a list's table in a Word, Excel or CSV file, read into a new list YAML.

Readers (`docx`, `xlsx`, `csv_table`, `convert` for the formats LibreOffice turns into those)
give `Table`s with merged cells resolved; `header` finds the list's table and its columns,
`rows` turns its rows into items, `provisions` splits a 服务内容 cell, `departments` maps
names to the registry, `align` proposes `covers`, `writer` writes the YAML, `command` runs it.
"""
