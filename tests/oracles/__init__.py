"""Oracles for tests: answers worked out without the code under test."""
