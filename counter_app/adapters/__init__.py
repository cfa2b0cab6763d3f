"""What the workflow reaches outside itself: storage, drafts, statistics, supervisors, card sources,
postcode and furigana data."""
