"""The service screens of the service front (办事服务): the item catalog, an item's guide and a
one-thing bundle's page."""
