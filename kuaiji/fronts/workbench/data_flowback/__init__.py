"""The data flow-back screens: a region's subscriptions and the rows delivered to it."""
