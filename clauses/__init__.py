"""The knowledge of good terms: topic catalogue, clause library, SOW/DPA assembly and the checker."""
