"""The Chinese of `--help`: each command's description and each option's help.

The English is click's own, next to the code it describes (the command's docstring, an
option's `help=`); this is its translation, as a message catalogue is for gettext. Keys: a
command's path without `dlref` ("" is `dlref` itself, "export anki" a subcommand), an option's
long name for words every command shares ("--lang"), or the command's path and the option
("show --short") where one command says something of its own. A paragraph that starts with
`\b` keeps its lines as written, as in click. `tests/test_help.py` fails when a command or
option has no entry here, or an entry names none.
"""

from __future__ import annotations

LANG_HELP = ("en、zh 或 both（默认：DLREF_LANG，其次 LANGUAGE、LC_ALL、LC_MESSAGES、LANG；"
             "都没有则 en）。")
APP_LANG_HELP = "启动时的语言：en、zh 或 both（默认：上次使用的语言；DLREF_LANG 也会覆盖它）。"
COLOR_HELP = "颜色：auto 跟随终端，并遵从 NO_COLOR、TERM=dumb 和 FORCE_COLOR。"
PAGER_HELP = ("不分页（否则超过一屏的输出会交给 $DLREF_PAGER、配置文件的 pager、$PAGER 或 "
              "less -FRX 分页显示）。")

ZH: dict[str, str] = {
    # ---- dlref itself and the options every command shares
    "": """dlref：终端里的深度学习概念，中英双语——卡片、实时演示和测验。

NAME 不是命令时，`dlref NAME` 显示卡片 NAME（同 `dlref show NAME`）。不带命令时，在终端里
打开交互式应用，不在终端里则显示这段帮助。""",
    "--help": "显示这段帮助并退出。",
    "--version": "显示版本号并退出。",
    "--lang": LANG_HELP,
    "--color": COLOR_HELP,
    "--no-pager": PAGER_HELP,
    # ---- one command each
    "check": """检查内容：格式、语言、链接、别名和示例。

给出 PATH（一个卡片文件或一个目录）时，把这些卡片和内置卡片放在一起检查。
问题按“文件:行: 说明”的格式输出，语言由 --lang 决定（both：先英文后中文）；
有任何问题时退出码为 1。""",
    "demo": """运行实时演示 NAME（演示名称，或 `show` 接受的任何卡片名称）。

\b
示例：
  dlref demo --list
  dlref demo gradient-descent --set lr=0.1 --set optimizer=adam
  dlref demo pooling --set kernel_size=3 --set stride=2
  dlref demo relu --code""",
    "demo --set": "设置一个旋钮（可重复）。",
    "demo --seed": "随机种子（大于等于 0 的整数）。",
    "demo --list": "列出所有演示及其旋钮。",
    "demo --json": "以 JSON 输出数值。",
    "demo --code": "输出演示所调用的 dlref.nn 函数的源代码。",
    "doctor": """检查进度文件和卡片，不做任何改动（除非给出 --repair）。

报告进度文件的格式版本、SQLite 的 quick_check、旁边的 -wal 文件，以及 dlref 无法读取的
存储值；文件损坏时，说明修复能恢复哪些内容。无法写入的进度文件也会照样检查，并指出它
无法写入。然后检查配置文件能否读取，并统计有问题的内容文件个数（`dlref check` 会逐一
列出）。有任何问题时退出码为 1。""",
    "doctor --repair": ("像其他命令一样打开进度文件：把损坏的文件移到一旁并恢复仍可读取的内容，"
                        "或把不属于它或不是有效预写日志的 -wal 文件移到一旁。"),
    "edit": """在 $EDITOR 中打开你的卡片 NAME；内置卡片会先复制到你的卡片目录（之后由你的
副本取代它）。保存后会自动对它运行 `dlref check`。

\b
示例：
  dlref edit swish
  dlref edit relu""",
    "export": "导出卡片：Anki 卡组或 JSON。",
    "export anki": """写入一个 Anki 卡组包（.apkg）：概念闪卡、作为输入答案型笔记的测验题，
以及所有选择题。

重新导入更新后的导出文件会更新已有笔记，而不会重复添加。""",
    "export anki --lang": ("卡组的语言（也是提示信息的语言）：en、zh 或 both（也接受 zh_CN "
                           "这样的区域设置写法）。  [默认：export 的 --lang，否则为 both]"),
    "export anki --parts": ("导出哪些笔记，用逗号分隔：concepts（每张卡片一张闪卡）、"
                            "quiz（输入答案型笔记：每个题目模板各取一道固定的题）、choices（选择题）。"),
    "export json": "把所有卡片写成 JSON（写入 FILE，或输出到标准输出）。",
    "glossary": """中英术语对照表，由卡片的标题和别名生成。没有匹配时退出码为 1，不论是否带 --json。

\b
示例：
  dlref glossary
  dlref glossary 梯度""",
    "glossary --json": "以 JSON 输出术语。",
    "list": "列出卡片：输出到管道时只列 id，在终端里显示为表格（超过一屏时分页）。",
    "list --tag": "只列出带有这个标签的卡片。",
    "list --json": "以 JSON 输出卡片。",
    "new": """在你的第一个卡片目录里写入新卡片 ID，并在 $EDITOR 中打开它。

这个目录依次取 DLREF_PATH 的第一项、配置文件 `paths` 的第一项，都没有时用 dlref 自己的
目录（见 `dlref paths`）；目录不存在时会自动创建。保存后会自动对这张卡片运行 `dlref check`。

\b
示例：
  dlref new swish
  EDITOR=nano dlref new my-activation""",
    "new --no-edit": "只写入卡片骨架，不打开编辑器。",
    "optimize": """用你自己的复习记录拟合 FSRS 参数，预测得更准时就采用它们。

需要大约一千次到期复习，以及 PyTorch：pip install 'dlref[optimize]'。五分之一的题目会被留出，
不参与拟合；只有当拟合参数在这些题目的复习记录上的对数损失比默认参数的更低时，才会保留。""",
    "paths": """dlref 从哪里读取卡片、在哪里保存进度和缓存、到哪里找配置文件。

卡片目录按加载顺序列出：后一个目录中的卡片会取代前一个目录中 id 相同的卡片。`dlref new`
写入你的第一个卡片目录，即“新卡片”一行列出的目录。""",
    "paths --json": "以 JSON 输出路径。",
    "quiz": """对卡片（CARD）或标签（TAG）做数值自测（默认：全部）：先出到期的题，
再出新题，直到每日上限；没有到期的题时就是练习，不改变复习日程。

答案可以是数（0.731、.731、7.31e-1、73.1%、1/3）、简单的表达式（1/(1+e^-0.5)、sqrt(2)/2）、
向量（[0.09, 0.24, 0.67]）或形状（(16, 8, 8)、16x8x8）。不会时输入 ?（显示解答，计为“重来”），
输入 skip 跳过且不记录，输入 undo 撤销上一个答案。在终端里，判定之后按一个键可以改评分：
a 重来、h 困难、g 良好、e 简单（Enter：答错记为重来，答对记为良好）。也可以从管道输入，
每行一个答案（不询问评分）。

\b
示例：
  dlref quiz relu -n 3
  dlref quiz activations --lang zh
  dlref quiz --practice softmax
  dlref quiz --seed 7 -n 5 --json-questions""",
    "quiz -n": "最多出几道题（每道题一次，答错的会再出）。",
    "quiz --seed": "出题的随机种子，大于等于 0（默认：随机）。",
    "quiz --practice": "练习：任意出题，记录答案，但不改变复习日程。",
    "quiz --new": ("每天的新题数（默认：DLREF_NEW_PER_DAY，其次配置文件的 daily_new；"
                   "都没有则 20）。"),
    "quiz --json-questions": "以 JSON 输出题目和答案，不记录任何内容。",
    "search": """在所有语言的标题、别名和正文中搜索：先匹配名称，再匹配整个短语，最后匹配每个词
（拼错的词会被纠正）。没有匹配时退出码为 1，不论是否带 --json。

\b
示例：
  dlref search vanishing gradient
  dlref search 梯度
  dlref search vanishng gradent""",
    "search --limit": "最多列出几条结果。",
    "search --json": "以 JSON 输出结果。",
    "serve": """启动网页服务，在浏览器中使用这个应用（每个浏览器标签页运行各自的应用）。

\b
  dlref serve                   然后打开 http://localhost:8000
  dlref serve relu --port 8080  每个标签页都从 relu 卡片开始""",
    "serve --lang": APP_LANG_HELP,
    "serve --host": "监听的地址。localhost 只有本机能连接；0.0.0.0 让网络上的任何人都能打开应用。",
    "serve --port": "监听的端口。",
    "show": """显示 NAME 对应的卡片：NAME 可以是 id、任一语言的别名，或它们的前缀。
多个词不需要加引号。NAME 不是命令时，`dlref NAME` 与此相同。

\b
示例：
  dlref relu
  dlref show 线性整流函数
  dlref show batch norm --lang both
  dlref show relu --short""",
    "show --short": "只显示标题、定义和公式（默认值由配置文件的 `short` 决定）。",
    "show --full": "显示整张卡片，无论配置文件如何设置。",
    "show --raw": "输出卡片的 markdown 原文。",
    "show --json": "以 JSON 输出卡片的各个字段。",
    "show --no-pager": ("不分页（否则超过一屏的卡片会交给 $DLREF_PAGER、配置文件的 pager、"
                        "$PAGER 或 less -FRX 分页显示）。"),
    "stats": "你的测验进度：复习次数、各卡片和各标签的正确率、到期情况、连续天数。",
    "stats --json": "以 JSON 输出各项数据。",
    "tui": """打开交互式应用（在终端里直接运行 `dlref` 也是如此）。

按键：/ 搜索，l 语言，1 2 3 切换标签页，空格 播放/暂停，n 下一题，ctrl+p 跳到任意卡片，
? 所有按键，q 退出。""",
    "tui --lang": APP_LANG_HELP,
    "undo": "撤销上一个测验答案（它的复习记录及其对复习日程的影响）。",
}

#: click's own headings and notes, as they appear in its help.
ZH_CLICK = {
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "default: ": "默认：",
    "required": "必需",
}
