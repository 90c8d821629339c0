"""Service staff (服务人员管理): the register of people who serve, their posts, staffing plans and certificates."""
