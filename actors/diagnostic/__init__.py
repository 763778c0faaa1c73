"""The territory diagnostic: who is where, which communes, QPV, publics and hours are left without an offer."""
