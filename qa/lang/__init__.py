"""Language: place names, tokens (jieba, the one stopword list, synonyms) and what a question asks."""
