"""Write N valid user cards (for timing dlref with a large content set).

Usage: python benchmarks/make_user_cards.py DIR [--count 5000] [--seed 0]
Each card has a unique id, English and Chinese titles and aliases, and definition, formula and
intuition sections of a bundled card's size, with words drawn from the bundled cards' text, so
search has real vocabulary to wade through.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def vocabulary() -> tuple[list[str], list[str]]:
    """English words and Chinese two-character runs from the bundled cards."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "content").glob("*.md"))
    words = sorted(set(re.findall(r"[a-z]{4,12}", text.lower())))
    han = sorted(set(re.findall(r"[\u4e00-\u9fff]{2}", text)))
    return words, han


def card(n: int, rng: random.Random, words: list[str], han: list[str]) -> str:
    def en(k: int) -> str:
        return " ".join(rng.choice(words) for _ in range(k))

    def zh(k: int) -> str:
        return "".join(rng.choice(han) for _ in range(k))

    def para(k: int) -> str:
        return ". ".join(en(12).capitalize() for _ in range(k)) + "."

    def zpara(k: int) -> str:
        return "。".join(zh(10) for _ in range(k)) + "。"

    title = f"{en(2).title()} {n}"
    return f"""+++
id = "user-{n:05d}"
tags = ["mine"]
related = []

[title]
en = "{title}"
zh = "{zh(3)}{n}"

[aliases]
en = ["{en(3)} {n}", "{en(2)} u{n}"]
zh = ["{zh(2)}{n}"]
+++

::: en
## Definition {{#definition}}

{para(4)}

## Formula {{#formula}}

```
y_{n} = f(x) + {n}
```

## Intuition {{#intuition}}

{para(8)}

{para(6)}
:::

::: zh
## 定义 {{#definition}}

{zpara(4)}

## 公式 {{#formula}}

```
y_{n} = f(x) + {n}
```

## 直觉 {{#intuition}}

{zpara(8)}
:::
"""


def write_cards(directory: Path, count: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    words, han = vocabulary()
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (directory / f"user-{n:05d}.md").write_text(card(n, rng, words, han), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_cards(args.dir, args.count, args.seed)


if __name__ == "__main__":
    main()
