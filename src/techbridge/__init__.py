"""TechBridge: the China–Pakistan Science and Technology Cooperation Center's platform."""
