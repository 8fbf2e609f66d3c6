"""Whether a passage reviews the past year or plans the coming one, from its section path and wording.

A report's first part reviews (一、2020年工作回顾), its later parts plan (三、2021年工作安排); an outcome
question prefers the review, a target question the plan.
"""

from __future__ import annotations

import re

_REVIEW = re.compile(r"回顾|过去|成绩|成就|一年来|五年来|以来|工作总结|完成情况|执行情况")
_PLAN = re.compile(r"安排|目标|任务|重点工作|建议|思路|总体要求|计划|部署|打算|展望|主要工作")
_PLAN_TEXT = re.compile(r"预期目标|主要目标是|今年.{0,12}(?:目标|要求)|力争")
_REVIEW_TEXT = re.compile(r"过去一年|过去五年|去年|上年|全年实现|比上年")


def phase_of(section: str, text: str) -> str | None:
    """"review", "plan" or None when neither the section nor the text says."""
    review, plan = bool(_REVIEW.search(section)), bool(_PLAN.search(section))
    if review != plan:
        return "review" if review else "plan"
    review_at, plan_at = _REVIEW_TEXT.search(text[:200]), _PLAN_TEXT.search(text)
    if review_at and plan_at:
        # Both: the passage's opening says which ("今年计划要求…与去年…" plans; "去年…今年目标…" reviews first).
        return "review" if review_at.start() < plan_at.start() else "plan"
    if review_at or plan_at:
        return "review" if review_at else "plan"
    return None


def wanted(intent: str) -> str | None:
    return {"outcome": "review", "target": "plan"}.get(intent)
