"""The triage model's build: labelled questions, distant labels, fitting, scoring (numpy and ../shared/data).

Why apart from kiosk.legal.triage: the kiosk only loads `model.json` and scores a question with the standard
library; reading the development questions (tests/data, ../shared/data), fitting with numpy and measuring belong to
whoever rebuilds the model (`python -m kiosk_build.triage.build`) and to the benchmark (tests.bench.triage).
"""
