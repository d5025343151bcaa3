"""The app's widgets: the card list, and one view per tab (card, demo, quiz)."""
