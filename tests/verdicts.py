"""What the answer-line tests share: a model that answers whatever the signals say, and signals that cover all."""

from qa.search import answer as ans

SURE = ans.Model(tuple(0.0 for _ in ans.FEATURES), 5.0, 0.5)  # answers whatever the signals say


def full_evidence() -> ans.Evidence:
    """Signals of a question whose every term a top passage says, beside a figure."""
    return ans.Evidence(coverage=1.0, sentence_coverage=1.0, rare_term=1.0, dense_margin=0.05, lexical_share=1.0,
                        number_question=1.0, number_found=1.0, list_question=0.0, scoped=1.0, preferred_missing=0.0)
