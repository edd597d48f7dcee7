//! Patches as the apiserver applies them: JSON patch, JSON merge patch, strategic merge patch.
