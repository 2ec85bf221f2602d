"""Documents generated from the data: what officials sign and print."""
