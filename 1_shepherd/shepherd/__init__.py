"""1_shepherd: keeps every ticker in TICKERS fresh: loads missing sessions, fine-tunes or
retrains the LSTM, promotes through the gate and makes the api serve the new champion."""
