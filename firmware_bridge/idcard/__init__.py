"""The resident ID card reader's serial SAM protocol: frames, commands, result codes, card data, driver."""
