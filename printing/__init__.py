"""Print jobs to real printers (CUPS / QtPrintSupport), with a queue that survives a crash and retries.

Given PDF bytes and a printer name it prints, or says why not.
"""
