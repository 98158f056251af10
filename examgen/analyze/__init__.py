"""Item analysis of graded answers (``examgen analyze``) and feeding the measured
difficulty back into the bank (``examgen calibrate``)."""
