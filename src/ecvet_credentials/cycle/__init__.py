"""The ECVET cycle around the three credentials: the MoU partnership check and the evaluation report
for the partnership's review after mobility (the key-actions checklist's last phase)."""
