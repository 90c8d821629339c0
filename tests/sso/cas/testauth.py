"""Anyone signs in with :data:`PASSWORD`; the CAS user is the staff or student number typed in, released with a
display name and the number again as ``employeeNumber``."""
from cas_server.auth import AuthUser

PASSWORD = "cas-test-password"


class AnyoneAuth(AuthUser):
    def test_password(self, password):
        return password == PASSWORD

    def attributs(self):
        return {"displayName": f"CAS {self.username}", "employeeNumber": self.username}
