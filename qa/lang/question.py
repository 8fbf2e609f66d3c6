"""What counts as a question: blanks collapsed, full-width digits and letters folded, at least one visible
character, not too long."""

from __future__ import annotations

import re

from qa.core.errors import BadRequest

# Controls, spaces and invisible format characters (zero-width, BOM, bidi marks) carry no meaning in a
# question: runs of them become one space. The same class is the API schema's `pattern` for questions,
# written with escapes every regex dialect reads (ECMA for JSON Schema, Python, Rust for pydantic).
BLANK_CLASS = r"\x00-\x20\x7f-\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff"
QUESTION_PATTERN = f"[^{BLANK_CLASS}]"  # "at least one visible character"
_BLANKS = re.compile(f"[{BLANK_CLASS}]+")
EXAMPLE = "杭州2020年经济增速是多少？"
# A Chinese input method in full-width mode types "２０２１年" and "ＧＤＰ": folded, the year is read and the
# letters match the reports' (the tokenizer keeps ASCII digits and letters only). Chinese punctuation (，：？“”)
# stays: the question's patterns are written with it.
_FULL_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B),
                                               0xFF05, 0xFF0D, 0xFF0E)}  # ％ － ．

# Chinese is written without spaces: one typed between words ("浙江 2021年 GDP目标", as in a search box) splits
# nothing but moves the question's patterns (浙江2021年) and its vector. Spaces between Latin words stay (PM 2.5).
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}]) +| +(?=[{_CJK}])")
# Except between two plans typed as search words (十三五 十四五), which would run into one: they become a list.
_PLANS_APART = re.compile(r"(?<=五) +(?=[九十])")


def closed_up(question: str) -> str:
    """`question` without the spaces next to a Chinese character or punctuation mark."""
    return _SPACE_BY_CJK.sub("", _PLANS_APART.sub("、", question))


def clean_question(question: object, max_chars: int) -> str:
    """The question with blanks collapsed; BadRequest if it is not text, empty or too long."""
    if not isinstance(question, str):
        raise BadRequest("question must be a string")
    if len(question) > max_chars:  # counted before clean-up, as the schema counts
        raise BadRequest(f"question is {len(question)} characters; the limit is {max_chars}")
    if not question.isascii():
        try:
            question.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRequest("question contains invalid Unicode (a lone surrogate \\uD800-\\uDFFF)") from None
    question = _BLANKS.sub(" ", question).strip(" ").translate(_FULL_WIDTH)
    if not question:
        raise BadRequest(f"question is empty; ask something like “{EXAMPLE}”")
    return question
