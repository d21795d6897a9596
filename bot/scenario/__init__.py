"""Scenarios: the model (model.py), loading and validation (load.py), and the author tools
(lint.py, graph.py, playtest.py) behind `heard scenarios …`."""
