"""The CSMS core that Chalice deploys: protocol, domain and storage layers."""
