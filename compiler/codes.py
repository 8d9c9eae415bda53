"""The registry of diagnostic codes: the one place that says what each code means.

A code is permanent and never reused. Each entry carries its severity, its wording in Chinese
and English, how to fix it, the rule it enforces, and a failing and a passing snippet; the
code table in the README is generated from this registry (`qingdan codes --markdown`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from compiler.diagnostics import Severity

PLAN = "《福建省加强流动儿童关爱保护行动实施方案》"
PLAN_EN = "the Fujian implementation plan (2025)"

BASES: dict[str, tuple[str, str]] = {
    "floor": (
        f"{PLAN}四、工作要求：“覆盖范围和实现程度不得低于省级关爱服务清单”",
        f"{PLAN_EN}, part IV: coverage and level of provision must not be lower than the provincial list",
    ),
    "content": (
        f"{PLAN}四、工作要求：“制定和发布本地区流动儿童享有关爱服务清单，明确具体服务对象、项目、内容等”",
        f"{PLAN_EN}, part IV: each list names its concrete target groups, services and content",
    ),
    "responsibility": (
        f"{PLAN}四、工作要求：“会同相关部门制定和发布本地区流动儿童享有关爱服务清单”；"
        "附件《基础清单》“责任部门”列",
        f"{PLAN_EN}, part IV, and the 'responsible department' column of its attachment",
    ),
    "filing": (
        f"{PLAN}四、工作要求：“于制定下发后10日内报送省民政厅备案”；"
        "《中华人民共和国民法典》第二百零一条、第二百零三条",
        f"{PLAN_EN}, part IV: file within 10 days of issuing; Civil Code arts. 201 and 203",
    ),
    "renewal": (
        f"{PLAN}四、工作要求：“各地市关爱服务清单每两年更新发布一次”；"
        "《中华人民共和国民法典》第二百零一条至第二百零三条",
        f"{PLAN_EN}, part IV: re-issue every two years; Civil Code arts. 201-203",
    ),
    "calendar": (
        "《中华人民共和国民法典》第二百零三条（期间最后一日是法定休假日的顺延）",
        "Civil Code art. 203 (a period ending on a statutory rest day is extended)",
    ),
    "format": ("qingdan 清单格式（见 README“清单格式”）", "the qingdan list format (README, 'The list format')"),
    "errata": (
        "清单文字须与来源文件逐字一致；对转录缺失的修复只记为勘误",
        "list text stays word for word as the source; repairs are recorded as errata only",
    ),
    "edition": (
        f"{PLAN}四、工作要求：“各地市关爱服务清单每两年更新发布一次”；"
        "新版本低于上一版之处由 qingdan 逐项列出，供审核人员复核",
        f"{PLAN_EN}, part IV: lists are re-issued every two years; qingdan lists each place where "
        "a new edition is lower than the one before, for the reviewer",
    ),
}


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    title: str
    title_en: str
    message: str
    message_en: str
    hint: str
    hint_en: str
    basis: str
    why: str
    bad: str = ""
    good: str = ""

    def render_message(self, args: Mapping[str, Any], lang: str = "zh") -> str:
        return _fill(self.message_en if lang == "en" else self.message, args)

    def render_hint(self, args: Mapping[str, Any], lang: str = "zh") -> str:
        return _fill(self.hint_en if lang == "en" else self.hint, args)

    def render_basis(self, args: Mapping[str, Any], lang: str = "zh") -> str:
        zh, en = BASES[self.basis]
        return en if lang == "en" else zh


class _Args(dict):
    def __missing__(self, key: str) -> str:  # a template naming an absent fact is a bug, shown not hidden
        return "{" + key + "}"


def _fill(template: str, args: Mapping[str, Any]) -> str:
    return template.format_map(_Args(args))


_ALL = [
    # ---- reading and structure -------------------------------------------------------------
    Code("QD100", "unreadable-file", Severity.ERROR, "文件无法读取", "unreadable file",
         "无法读取文件：{reason}", "cannot read the file: {reason_en}",
         "{fix}", "{fix_en}", "format",
         "清单必须是 UTF-8 编码的 YAML 文本文件；否则其中的内容都无法核查。"),
    Code("QD101", "yaml-syntax", Severity.ERROR, "YAML 语法错误", "YAML syntax error",
         "YAML 语法错误：{problem}", "YAML syntax error: {problem}",
         "检查这一行及上一行的缩进、冒号和引号是否配对。", "check indentation, colons and quotes on this line and the one before.",
         "format", "语法错误使整个文件无法读取；其他文件仍会继续核查。",
         bad="title: [福州市", good="title: 福州市"),
    Code("QD102", "duplicate-key", Severity.ERROR, "重复的字段", "duplicate key",
         "字段“{key}”在同一层重复出现（第一次在第 {first_line} 行）",
         "key '{key}' appears twice in the same mapping (first on line {first_line})",
         "删除其中一个，或合并两处的内容。", "remove one of them, or merge them.", "format",
         "重复字段会让一个值悄悄覆盖另一个值。",
         bad="title: 甲\ntitle: 乙", good="title: 甲"),
    Code("QD103", "unknown-field", Severity.ERROR, "未知字段", "unknown field",
         "未知字段“{key}”{suggestion}", "unknown field '{key}'{suggestion_en}",
         "检查拼写；可用的字段有：{allowed}。", "check the spelling; allowed fields: {allowed}.", "format",
         "拼错的字段会被当作不存在，它承载的内容就会丢失。",
         bad="titel: 福州市流动儿童关爱服务清单", good="title: 福州市流动儿童关爱服务清单"),
    Code("QD104", "invalid-value", Severity.ERROR, "取值不合法", "invalid value",
         "“{field}”的值不合法：{problem}", "invalid value for '{field}': {problem_en}",
         "{fix}", "{fix_en}", "format", "类型或取值不对的字段无法参与核查。",
         bad="edition: 第一版", good="edition: 1"),
    Code("QD105", "missing-field", Severity.ERROR, "缺少必填字段", "missing field",
         "缺少必填字段“{field}”", "missing required field '{field}'",
         "在这一层加上“{field}”。", "add '{field}' at this level.", "format",
         "必填字段缺失时，清单无法被识别或核查。",
         bad="id: fuzhou\nlevel: city", good="id: fuzhou\nlevel: city\ntitle: 福州市流动儿童关爱服务清单"),
    Code("QD106", "invalid-date", Severity.ERROR, "日期无效", "invalid date",
         "“{field}”不是有效日期：{value}", "'{field}' is not a valid date: {value}",
         "日期写成 YYYY-MM-DD，例如 2025-01-09，不加引号。", "write dates as YYYY-MM-DD, e.g. 2025-01-09, unquoted.",
         "format", "期限按日期计算，日期错了，期限就错了。",
         bad="issued: 2025年1月9日", good="issued: 2025-01-09"),
    Code("QD107", "duplicate-id", Severity.ERROR, "编号重复", "duplicate id",
         "编号“{id}”重复（第一次在第 {first_line} 行）", "id '{id}' is used twice (first on line {first_line})",
         "每个服务项和条款的编号在本清单内必须唯一。", "item and provision ids must be unique within a list.",
         "format", "下级清单和勘误靠编号引用条款，编号重复会让引用含糊。",
         bad="- id: s01\n- id: s01", good="- id: s01\n- id: s02"),
    Code("QD108", "tab-indent", Severity.ERROR, "使用了制表符缩进", "tab used for indentation",
         "这一行用制表符（Tab）缩进，YAML 只允许空格", "this line is indented with a tab; YAML allows spaces only",
         "把 Tab 换成空格（每级两个空格）。", "replace the tab with spaces (two per level).", "format",
         "许多编辑器把 Tab 显示得和空格一样，但 YAML 不接受。"),
    Code("QD109", "not-a-list", Severity.ERROR, "文件内容不是清单", "not a list document",
         "文件顶层应是字段映射（id、level、title……），实际是{found}", "the top level should be a mapping of fields, found {found_en}",
         "参考 README 中的清单示例。", "see the example list in the README.", "format",
         "空文件或只有一个值的文件不是清单。"),
    Code("QD110", "input-too-large", Severity.ERROR, "文件过大或结构过深", "input too large",
         "文件{what}，已停止读取", "the file {what_en}; reading stopped",
         "清单文件应在 2 MB 以内，不要使用锚点别名展开大量内容。",
         "keep list files under 2 MB and do not expand large anchors.", "format",
         "防止恶意或损坏的文件拖垮核查。"),
    # ---- drafts: what only the bureau can fill in (qingdan new) -------------------------------
    Code("QD111", "todo-marker", Severity.WARNING, "待填写标记", "TODO marker left",
         "这里还有待填写的内容（TODO）：{rest}", "a TODO marker is left here: {rest}",
         "填写只有本地才知道的内容，然后删去 TODO 标记。", "fill in what only the bureau knows, then remove the TODO marker.",
         "format", "待填写标记说明清单还没写完；印发前必须逐条处理。",
         bad="issuer: TODO：填写印发机关", good="issuer: 福州市民政局等部门"),
    Code("QD112", "draft", Severity.INFO, "草稿", "draft",
         "草稿：尚未印发，不计算备案和更新期限", "draft: not issued yet, so no filing or renewal deadline runs",
         "印发时删去 draft: true，并把 issued 改为印发日期。", "when issuing, remove draft: true and set issued to the issue date.",
         "format", "期限从印发之日起算；草稿还没有印发。",
         bad="draft: true\nfiled: 2025-03-18", good="draft: true"),
    Code("QD113", "draft-filed", Severity.ERROR, "草稿已有备案日期", "draft already filed",
         "清单标为草稿（draft: true），却已填写备案日期 {filed}", "the list is marked as a draft but has a filing date {filed}",
         "已印发的清单删去 draft: true；尚未印发的删去 filed。", "remove draft: true if it was issued, else remove filed.",
         "filing", "草稿不计算期限：已备案的清单若仍标为草稿，备案和更新期限就会被漏算。",
         bad="draft: true\nfiled: 2025-03-18", good="filed: 2025-03-18"),
    # ---- references --------------------------------------------------------------------------
    Code("QD201", "dangling-covers", Severity.ERROR, "covers 引用不存在", "dangling covers",
         "covers 引用的“{ref}”在底线清单 {floor} 中不存在", "covers names '{ref}', which does not exist in floor list {floor}",
         "{suggestion}", "{suggestion_en}", "format",
         "covers 说明本条款落实底线清单的哪一条；引用错了，覆盖核查就失去依据。",
         bad="covers: [s99-1]", good="covers: [s01-1]"),
    Code("QD202", "unknown-floor", Severity.ERROR, "底线清单不存在", "unknown floor list",
         "floor 指向的清单“{list}”不在目录中", "floor names list '{list}', which is not in the catalogue",
         "已有的清单：{known}。", "known lists: {known}.", "format",
         "没有底线清单，就无法核查“不低于”的要求。"),
    Code("QD203", "unknown-edition", Severity.ERROR, "底线清单版本不存在", "unknown floor edition",
         "清单“{list}”没有第 {edition} 版", "list '{list}' has no edition {edition}",
         "已有的版本：{known}。", "known editions: {known}.", "format",
         "下级清单必须说明按哪一版底线核查。"),
    Code("QD204", "floor-cycle", Severity.ERROR, "底线链条成环", "floor cycle",
         "底线链条成环：{cycle}", "the chain of floors is a cycle: {cycle}",
         "底线只能指向更高一级的清单。", "a floor must name a higher-level list.", "format",
         "环形的底线链条没有终点，无法核查。"),
    Code("QD205", "unknown-department", Severity.ERROR, "部门不在部门名录中", "unknown department",
         "部门“{department}”不在部门名录 departments.yaml 中{suggestion}",
         "department '{department}' is not in the registry departments.yaml{suggestion_en}",
         "使用名录里的简称，或先在 departments.yaml 中登记该部门。",
         "use a short name from the registry, or add the department to departments.yaml.", "responsibility",
         "责任部门来自同一份名录，才能对应到上下级部门。",
         bad="departments: [市卫生局]", good="departments: [市卫健委]"),
    Code("QD206", "duplicate-list", Severity.ERROR, "清单重复", "duplicate list",
         "清单 {list} 第 {edition} 版在 {other} 中已经定义", "list {list} edition {edition} is already defined in {other}",
         "同一清单的新版本请把 edition 加一。", "give a new edition a higher edition number.", "format",
         "同一版本出现两次时，下级清单不知道以哪一份为底线。"),
    Code("QD207", "floor-level", Severity.ERROR, "底线层级不对", "wrong floor level",
         "{level_name}清单的底线应是{expected}清单，而“{floor}”是{actual}清单",
         "a {level} list must build on a {expected_en} list, but '{floor}' is a {actual_en} list",
         "把 floor 改为上一级清单。", "make floor name the list one level up.", "floor",
         "底线链条是 国家 → 省 → 市 → 县，每一级以上一级为底线。"),
    Code("QD208", "newer-floor-edition", Severity.WARNING, "底线已有新版本", "newer floor edition",
         "底线清单 {list} 已有第 {newest} 版，本清单仍以第 {edition} 版为底线",
         "floor list {list} has a newer edition {newest}; this list still builds on edition {edition}",
         "对照新版本修订本清单，并把 floor.edition 改为 {newest}（可用 qingdan upgrade）。",
         "revise this list against the new edition and set floor.edition to {newest}.", "floor",
         "上级清单更新后，下级清单须以新版本为底线。"),
    Code("QD209", "department-level", Severity.ERROR, "部门层级或辖区不符", "department out of level",
         "“{department}”是{dept_level}部门，不能作为{list_level}清单的责任部门{detail}",
         "'{department}' is a {dept_level_en} department and cannot be responsible in a {list_level_en} list{detail_en}",
         "改用本级对应部门：{counterpart}。", "use the local counterpart: {counterpart}.", "responsibility",
         "每条职责须由本地部门承担。",
         bad="departments: [省卫健委]", good="departments: [市卫健委]"),
    Code("QD210", "floor-issued-later", Severity.ERROR, "底线晚于本清单", "floor issued later",
         "本清单 {issued} 印发，早于其底线清单 {floor}（{floor_issued} 印发）",
         "this list was issued {issued}, before its floor {floor} ({floor_issued})",
         "检查 issued 日期或 floor 版本。", "check the issued date or the floor edition.", "floor",
         "清单不可能以尚未印发的清单为底线。"),
    Code("QD211", "bad-erratum", Severity.ERROR, "勘误无法对应原文", "erratum does not match",
         "勘误的 original“{original}”没有出现在 {where} 中", "erratum original '{original}' does not occur in {where}",
         "original 必须逐字摘自 where 所指的文字。", "original must quote the text at 'where' word for word.", "errata",
         "勘误必须指向原文中真实存在的文字，审核人员才能核对。"),
    # ---- floor checks ------------------------------------------------------------------------
    Code("QD301", "coverage", Severity.ERROR, "未覆盖底线条款", "floor provision not covered",
         "未覆盖底线清单 {floor} 的条款 {provision}（{service}）：“{text}”",
         "floor provision {provision} of {floor} ({service}) is not covered: \"{text}\"",
         "在相应服务项中加入一条 covers: [{provision}] 的条款。",
         "add a provision with covers: [{provision}] to the matching item.", "floor",
         "每一条底线条款都必须由下级清单中的某个条款落实。",
         bad="provisions:\n  - id: s13-1\n    text: ...\n    # 没有任何条款 covers s13-2",
         good="provisions:\n  - id: s13-2\n    covers: [s13-2]"),
    Code("QD302", "scope-age", Severity.ERROR, "服务对象年龄范围变窄", "age range narrowed",
         "服务对象年龄 {city_age} 窄于底线 {provision_ref} 的 {floor_age}",
         "target age {city_age} is narrower than {floor_age} in floor {provision_ref}",
         "把 age 放宽到至少 {floor_age}。", "widen age to at least {floor_age}.", "floor",
         "缩小年龄范围会把底线覆盖的儿童排除在外。",
         bad="age: {min: 0, max: 5}", good="age: {min: 0, max: 6}"),
    Code("QD303", "scope-conditions", Severity.ERROR, "服务对象条件变严", "target conditions narrowed",
         "服务对象增加了底线 {provision_ref} 没有的条件：{extra}",
         "the target group adds conditions that floor {provision_ref} does not have: {extra}",
         "删去这些条件，或把它们写成本地新增的服务。", "remove these conditions, or make it a separate local addition.",
         "floor", "增加条件会把底线覆盖的儿童排除在外。",
         bad="conditions: [残疾, 家庭经济困难]", good="conditions: [残疾]"),
    Code("QD304", "commitment", Severity.ERROR, "承诺程度降低", "commitment weakened",
         "条款承诺程度“{city}”弱于底线条款 {provision} 的“{floor_value}”",
         "commitment '{city}' is weaker than '{floor_value}' in floor provision {provision}",
         "把 commitment 改为“{floor_value}”或更强（保障 > 有条件 > 鼓励）。",
         "raise commitment to '{floor_value}' or stronger (保障 > 有条件 > 鼓励).", "floor",
         "把“保障”改成“有条件的地方”或“鼓励”，等于降低了实现程度。",
         bad="commitment: 有条件", good="commitment: 保障"),
    Code("QD305", "standard-lower", Severity.ERROR, "数量标准降低", "numeric standard lowered",
         "“{name}”为 {city_value}{unit}，{direction}底线条款 {provision} 的 {floor_value}{unit}",
         "'{name}' is {city_value}{unit}, {direction_en} the floor's {floor_value}{unit} in {provision}",
         "把 value 改为 {floor_value} 或更优，并同步修改条文。", "set value to {floor_value} or better, and update the text.",
         "floor", "数量标准（年限、频次、年龄上限）是实现程度最直接的度量。",
         bad="- {name: 免费教育年限, value: 9, unit: 年, better: higher}",
         good="- {name: 免费教育年限, value: 12, unit: 年, better: higher}"),
    Code("QD306", "standard-missing", Severity.WARNING, "未写明数量标准", "numeric standard not stated",
         "底线条款 {provision} 规定了“{name}”{floor_value}{unit}，落实它的条款没有写明",
         "floor provision {provision} sets '{name}' to {floor_value}{unit}; the covering provision does not state it",
         "在 standards 中写明“{name}”，数值不低于 {floor_value}{unit}。",
         "state '{name}' in standards, at least {floor_value}{unit}.", "floor",
         "不写明数量，就无法核查是否低于底线。"),
    Code("QD307", "responsibility", Severity.ERROR, "缺少对应责任部门", "responsible department missing",
         "底线 {item} 由“{floor_department}”负责，本清单落实它的服务项没有承担{function}职责的本地部门",
         "floor {item_en} names '{floor_department}'; no local department with the {function} duty is named here",
         "在 departments 中加入 {counterpart}。", "add {counterpart_en} to departments.", "responsibility",
         "每一项职责都要有本地部门承担，家庭才知道找谁。",
         bad="departments: [市教育局]", good="departments: [市教育局, 市人社局]"),
    Code("QD308", "standard-text", Severity.WARNING, "数量标准与条文不一致", "standard not in text",
         "standards 写的是“{name}”{value}{unit}，但条文中找不到“{value}”",
         "standards says '{name}' is {value}{unit}, but the text does not contain '{value}'",
         "让条文和 standards 写同一个数。", "make the text and standards say the same number.", "content",
         "条文是公布给家庭的，结构化数值是核查用的，两者必须一致。"),
    Code("QD310", "local-addition", Severity.INFO, "本地新增", "local addition",
         "本地新增：{what}", "local addition: {what_en}",
         "无需处理；本地新增会在发布时标为“本地新增”。", "nothing to do; it is published as a local addition.",
         "floor", "底线之上的新增服务是允许的，并应展示给家庭。"),
    # ---- justified deviations (deviations:) --------------------------------------------------
    Code("QD311", "deviation", Severity.WARNING, "偏离底线，待审核认可", "deviation awaiting acceptance",
         "偏离底线（{check}，待审核认可）：{finding}。理由：{reason}；依据：{stated_basis}",
         "deviation from the floor ({check}, awaiting the reviewer's acceptance): {finding_en}. "
         "Reason: {reason}; basis: {stated_basis}",
         "由审核人员决定是否认可；不认可时按底线落实，并删去这条偏离。",
         "the provincial reviewer decides; if refused, meet the floor and remove the deviation.", "floor",
         "确实无法按底线原样落实的地方须写明理由和依据，由审核人员逐条认可，不能悄悄放过。",
         bad="deviations: []", good="deviations:\n  - {where: s01, check: responsibility, reason: 本县尚未单设疾控局, basis: 县机构改革方案}"),
    Code("QD312", "deviation-unmatched", Severity.WARNING, "偏离没有对应的问题", "deviation matches no finding",
         "偏离 {where}（{check}）没有对应的核查结果：本清单在这一项上并未低于底线",
         "deviation {where} ({check}) matches no finding: the list does not fall below its floor there",
         "已满足底线就删去这条偏离；否则核对 where 和 check（覆盖、承诺、标准按条款或服务项编号，范围、责任部门按服务项编号，如 s07）。",
         "remove it if the floor is met; else check where and check (scope and responsibility take an item id such as s07).",
         "floor", "过时或写错的偏离会误导审核人员。",
         bad="- {where: s07-2, check: responsibility, ...}", good="- {where: s07, check: responsibility, ...}"),
    Code("QD313", "deviation-unjustified", Severity.ERROR, "偏离缺少理由或依据", "deviation without reason or basis",
         "偏离 {where}（{check}）缺少{missing}", "deviation {where} ({check}) has no {missing_en}",
         "写明{missing}：为什么无法按底线原样落实，依据哪份文件（名称、文号或条款）。",
         "state the {missing_en}: why the floor cannot be met as written, and under which document.", "floor",
         "没有理由和依据的偏离不能提交审核；它对应的问题仍按原级别报告。",
         bad="- {where: s01, check: responsibility, reason: ''}",
         good="- {where: s01, check: responsibility, reason: 本县尚未单设疾控局, basis: 县机构改革方案}"),
    Code("QD314", "deviation-unknown-ref", Severity.ERROR, "偏离指向的底线编号不存在", "deviation names no floor provision",
         "偏离指向的“{where}”在底线清单 {floor} 中不存在", "deviation names '{where}', which is not in floor list {floor}",
         "{suggestion}", "{suggestion_en}", "floor",
         "偏离必须指向底线中真实存在的条款或服务项，审核人员才能对照。",
         bad="- {where: s99, check: coverage, ...}", good="- {where: s09, check: coverage, ...}"),
    # ---- deadlines ---------------------------------------------------------------------------
    Code("QD401", "filing-on-time", Severity.INFO, "已按时备案", "filed on time",
         "已于 {filed} 备案，备案期限 {due}（{reasoning}）", "filed {filed}; due {due} ({reasoning_en})",
         "无需处理。", "nothing to do.", "filing", "记录备案的法定计算过程，供审核人员复核。"),
    Code("QD402", "filing-late", Severity.WARNING, "逾期备案", "filed late",
         "{filed} 才备案，逾期 {days} 天；备案期限 {due}（{reasoning}）",
         "filed {filed}, {days} days late; due {due} ({reasoning_en})",
         "在备案说明中写明逾期原因；下次印发后 10 日内报送省民政厅。",
         "explain the delay to the reviewer; next time file within 10 days.", "filing",
         "按期备案是省民政厅审核的前提。"),
    Code("QD403", "filing-pending", Severity.WARNING, "尚未备案", "not yet filed",
         "尚未备案，期限 {due}，还剩 {days} 天（{reasoning}）", "not yet filed; due {due}, {days} days left ({reasoning_en})",
         "在期限前报送省民政厅备案，并填写 filed 日期。", "file with the provincial department by then and set filed.",
         "filing", "提醒尚在备案期内的清单。"),
    Code("QD404", "filing-overdue", Severity.ERROR, "逾期未备案", "filing overdue",
         "逾期未备案：期限 {due} 已过 {days} 天（{reasoning}）", "not filed: due {due}, overdue by {days} days ({reasoning_en})",
         "立即报送省民政厅备案，并填写 filed 日期。", "file now and set filed.", "filing",
         "逾期未备案的清单未经省级审核。"),
    Code("QD405", "renewal-soon", Severity.WARNING, "即将到期须更新", "renewal due soon",
         "须在 {due} 前更新发布，还剩 {days} 天（{reasoning}）", "must be re-issued by {due}, {days} days left ({reasoning_en})",
         "着手修订下一版清单。", "start drafting the next edition.", "renewal",
         "清单每两年更新发布一次；提前 90 天提醒。"),
    Code("QD406", "renewal-overdue", Severity.ERROR, "逾期未更新", "renewal overdue",
         "应于 {due} 前更新发布，已逾期 {days} 天（{reasoning}）", "should have been re-issued by {due}, overdue by {days} days ({reasoning_en})",
         "尽快发布新版清单（edition 加一）。", "issue a new edition now.", "renewal",
         "超过两年未更新的清单可能已不符合现行底线。"),
    Code("QD407", "renewal-on-track", Severity.INFO, "更新期限", "renewal due date",
         "下次更新发布期限 {due}，还剩 {days} 天（{reasoning}）", "next re-issue due {due}, {days} days left ({reasoning_en})",
         "无需处理。", "nothing to do.", "renewal", "记录更新期限的法定计算过程。"),
    Code("QD408", "filed-before-issued", Severity.ERROR, "备案早于印发", "filed before issued",
         "备案日期 {filed} 早于印发日期 {issued}", "filing date {filed} is before the issue date {issued}",
         "检查 filed 和 issued。", "check filed and issued.", "filing", "备案只能在印发之后。"),
    Code("QD409", "calendar-unknown", Severity.WARNING, "节假日安排未知", "holiday calendar unknown",
         "节假日日历不含 {years} 年，{which}只按周末顺延，未计法定节假日和调休",
         "the holiday calendar does not cover {years}; {which_en} was extended over weekends only",
         "待国务院公布该年节假日安排并更新 chinesecalendar 后重新核查。",
         "re-check once that year's holiday schedule is published and the calendar package updated.", "calendar",
         "不知道节假日安排时，不能假装知道：期限可能还会顺延。"),
    Code("QD410", "superseded", Severity.INFO, "已被新版本取代", "superseded",
         "本版已被第 {newest} 版取代，不再计算期限", "superseded by edition {newest}; no deadlines apply",
         "无需处理。", "nothing to do.", "renewal", "旧版本保留以便对照，但期限只对现行版本计算。"),
    # ---- errata ------------------------------------------------------------------------------
    Code("QD501", "erratum", Severity.INFO, "勘误", "erratum",
         "勘误（{where}）：“{original}” 应为 “{corrected}”。{reason}",
         "erratum ({where}): '{original}' should read '{corrected}'. {reason}",
         "原文保持不变；发布和审核时展示本勘误。", "the text stays as published; the erratum is shown to reviewers.",
         "errata", "对原文的修复必须公开可查，不能悄悄改字。"),
    # ---- comparing two editions (qingdan diff) -------------------------------------------
    Code("QD601", "list-changed", Severity.INFO, "清单信息变更", "list details changed",
         "清单的“{field}”由 {old} 改为 {new}", "the list's '{field}' changed from {old} to {new}",
         "无需处理；确认与印发文件一致。", "nothing to do; check it matches the issued document.", "edition",
         "版本号、印发日期、标题、底线等的变化须与印发文件一致。",
         bad="edition: 1\nissued: 2025-03-10", good="edition: 2\nissued: 2027-03-01"),
    Code("QD602", "item-added", Severity.INFO, "新增服务项", "item added",
         "新增服务项 {item}“{service}”{with_}", "new item {item} '{service}'{with_en}",
         "无需处理。", "nothing to do.", "edition", "新版本增加的服务应让审核人员看到。",
         good="- id: s21\n  service: 暑期托管服务"),
    Code("QD603", "item-changed", Severity.INFO, "服务项变更", "item changed",
         "服务项 {item} 的“{field}”由 {old} 改为 {new}", "item {item}: '{field}' changed from {old} to {new}",
         "无需处理；确认改动符合本意。", "nothing to do; check the change is intended.", "edition",
         "服务对象、服务项目、责任部门的改动都会影响家庭，须让审核人员看到。",
         bad="departments: [市卫健委]", good="departments: [市卫健委, 市疾控局]"),
    Code("QD604", "provision-added", Severity.INFO, "新增条款", "provision added",
         "服务项 {item} 新增条款 {provision}：“{text}”", "item {item} adds provision {provision}: \"{text}\"",
         "无需处理。", "nothing to do.", "edition", "新版本增加的服务内容应让审核人员看到。",
         good="- id: s13-4\n  text: 每学期开展一次家访\n  commitment: 保障"),
    Code("QD605", "provision-changed", Severity.INFO, "条款变更", "provision changed",
         "条款 {provision} 的“{field}”由 {old} 改为 {new}", "provision {provision}: '{field}' changed from {old} to {new}",
         "无需处理；确认改动符合本意。", "nothing to do; check the change is intended.", "edition",
         "条文、承诺程度和数量标准的改动须让审核人员看到。",
         bad="commitment: 有条件", good="commitment: 保障"),
    Code("QD606", "edition-not-increased", Severity.WARNING, "版本号没有增加", "edition not increased",
         "新版本的 edition 是 {new}，没有大于旧版本的 {old}", "the new edition number {new} is not above the old {old}",
         "每次更新发布把 edition 加一（改为 {expected}）。", "give each re-issue the next edition number ({expected}).",
         "edition", "每次更新发布都要有新的版本号，下级清单和备案才能指明是哪一版。",
         bad="edition: 1  # 内容已改", good="edition: 2"),
    Code("QD607", "different-list", Severity.WARNING, "比较的不是同一份清单", "not the same list",
         "旧版是清单 {old}，新版是清单 {new}", "the old side is list {old}, the new side is list {new}",
         "确认比较的是同一份清单的两个版本。", "check you are comparing two editions of one list.", "format",
         "只有同一份清单的两个版本之间的比较才有意义。",
         bad="id: xiamen  # 旧版 id: fuzhou", good="id: fuzhou"),
    Code("QD608", "standard-unstated", Severity.WARNING, "不再写明数量标准", "standard no longer stated",
         "条款 {provision} 不再写明“{name}”（旧版为 {old_value}{unit}）",
         "provision {provision} no longer states '{name}' (the old edition had {old_value}{unit})",
         "在 standards 中保留“{name}”，数值不低于 {old_value}{unit}。",
         "keep '{name}' in standards, at least as good as {old_value}{unit}.", "edition",
         "不写明数量，就无法核查是否低于旧版。",
         bad="standards: []", good="standards:\n  - {name: 免费教育年限, value: 12, unit: 年, better: higher}"),
    Code("QD611", "item-removed", Severity.ERROR, "删去了服务项", "item removed",
         "删去了旧版的服务项 {item}“{service}”{dropped}", "old item {item} '{service}' was removed{dropped_en}",
         "恢复该服务项；确需合并到其他服务项的，沿用原条款编号。",
         "restore the item; when merging it into another, keep the provisions' ids.", "edition",
         "删去服务项会缩小覆盖范围。",
         bad="# 服务项 s05 整项删去", good="- id: s05\n  service: 救助帮扶"),
    Code("QD612", "provision-removed", Severity.ERROR, "删去了条款", "provision removed",
         "服务项 {item} 删去了旧版的条款 {provision}：“{text}”", "item {item} dropped old provision {provision}: \"{text}\"",
         "恢复该条款；改写条文时保留编号 {provision}。", "restore the provision; when rewording it, keep the id {provision}.",
         "edition", "删去条款会缩小覆盖范围。",
         bad="provisions:\n  - id: s01-1\n  # s01-2 删去", good="provisions:\n  - id: s01-1\n  - id: s01-2"),
    Code("QD613", "age-narrowed", Severity.ERROR, "服务对象年龄范围缩小", "age range narrowed",
         "{what}：服务对象年龄由 {old_age} 缩小为 {new_age}", "{what_en}: target age narrowed from {old_age} to {new_age}",
         "把 age 放宽到至少 {old_age}。", "widen age to at least {old_age}.", "edition",
         "缩小年龄范围会把旧版覆盖的儿童排除在外。",
         bad="age: {min: 0, max: 5}  # 旧版 0-6", good="age: {min: 0, max: 6}"),
    Code("QD614", "conditions-added", Severity.ERROR, "服务对象条件变严", "target conditions narrowed",
         "{what}：服务对象增加了旧版没有的条件 {extra}", "{what_en}: the target group adds conditions the old edition did not have: {extra}",
         "删去新增的条件，或把它写成另一项本地新增服务。",
         "remove the added conditions, or make it a separate local addition.", "edition",
         "增加条件会把旧版覆盖的儿童排除在外。",
         bad="conditions: [残疾, 家庭经济困难]  # 旧版 [残疾]", good="conditions: [残疾]"),
    Code("QD615", "commitment-weakened", Severity.ERROR, "承诺程度降低", "commitment weakened",
         "条款 {provision} 的承诺程度由“{old}”降为“{new}”", "provision {provision}: commitment weakened from '{old}' to '{new}'",
         "把 commitment 恢复为“{old}”或更强（保障 > 有条件 > 鼓励）。",
         "restore commitment to '{old}' or stronger (保障 > 有条件 > 鼓励).", "edition",
         "把“保障”改成“有条件”或“鼓励”，等于降低了实现程度。",
         bad="commitment: 鼓励  # 旧版 保障", good="commitment: 保障"),
    Code("QD616", "standard-worse", Severity.ERROR, "数量标准降低", "numeric standard worse",
         "条款 {provision} 的“{name}”由 {old_value}{unit} 改为 {new_value}{unit}，{direction}旧版",
         "provision {provision}: '{name}' went from {old_value}{unit} to {new_value}{unit}, {direction_en} the old edition",
         "把 value 恢复为 {old_value} 或更优，并同步修改条文。", "set value back to {old_value} or better, and update the text.",
         "edition", "数量标准（年限、频次、年龄上限）是实现程度最直接的度量。",
         bad="- {name: 免费教育年限, value: 9, unit: 年, better: higher}  # 旧版 12",
         good="- {name: 免费教育年限, value: 12, unit: 年, better: higher}"),
    # ---- editing lists (qingdan upgrade) -----------------------------------------------------
    Code("QD701", "upgrade-skeleton", Severity.INFO, "按新版底线新增骨架", "skeleton added for a new floor edition",
         "按底线 {floor} 新增{what} {id}（落实 {covers}）：“{text}”，请改写为本地条文后删去 TODO 注释",
         "added {what_en} {id} for floor {floor} (covers {covers}): \"{text}\"; rewrite it locally, then remove the TODO comment",
         "改写条文，核对服务对象、承诺程度、数量标准和责任部门，然后删去 TODO 注释。",
         "rewrite the text, check target, commitment, standards and departments, then remove the TODO comment.",
         "floor", "新版底线要求而本清单尚未落实的条款，须由本清单补上；骨架照录底线原文，只是起点。"),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}
assert len(CODES) == len(_ALL), "duplicate code in registry"

# The floor findings a list may answer with a justified deviation (its `deviations:` entries).
DEVIABLE = ("QD301", "QD302", "QD303", "QD304", "QD305", "QD306", "QD307")


def markdown_table(lang: str = "zh") -> str:
    """The code table for the README, generated so that docs and registry cannot drift."""
    head = "| 代码 | 名称 | 级别 | 含义 | 依据 |\n| --- | --- | --- | --- | --- |"
    sev = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
    rows = [
        f"| `{c.code}` | {c.title} (`{c.name}`) | {sev[c.severity]} | {c.why} | {BASES[c.basis][0]} |"
        for c in _ALL
    ]
    return "\n".join([head, *rows])
