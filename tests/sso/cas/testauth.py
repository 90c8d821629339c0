"""Anyone signs in with :data:`PASSWORD`; the CAS user is the staff or student number typed in, released with a
display name, the number again as ``employeeNumber`` and the campus 东校区 as ``campus``."""
from cas_server.auth import AuthUser

PASSWORD = "cas-test-password"


class AnyoneAuth(AuthUser):
    def test_password(self, password):
        return password == PASSWORD

    def attributs(self):
        return {"displayName": f"CAS {self.username}", "employeeNumber": self.username, "campus": "东校区"}
