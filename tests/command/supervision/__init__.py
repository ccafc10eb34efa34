"""Tests of supervision across the apps."""
