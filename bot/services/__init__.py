"""Services: the verbs of Lotse. Each opens a unit of work and commits itself."""
