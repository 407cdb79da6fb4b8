"""What the domain needs from storage: typing.Protocol ports, the plain values they carry, their errors."""
