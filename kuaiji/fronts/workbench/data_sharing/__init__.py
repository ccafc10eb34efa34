"""The data sharing screens of the work front: apply for a resource, follow one's requests and
grants, see the grants one's department gave with their usage, and revoke them."""
