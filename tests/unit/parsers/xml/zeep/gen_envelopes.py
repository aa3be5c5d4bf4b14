#!/usr/bin/python3
# Regenerates the SOAP 1.1/1.2 envelopes embedded in xml_inspector_test.cc
# exactly as zeep (python3-zeep 4.2.1) sends them for users.wsdl.
# Run: cd tests/unit/parsers/xml/zeep && /usr/bin/python3 gen_envelopes.py
import zeep
from zeep.wsdl.utils import etree_to_string

client = zeep.Client('users.wsdl')
for port in ('P11', 'P12'):
    svc = client.bind('Users', port)
    op = svc._binding.get('GetUser')
    env = client.create_message(svc, 'GetUser', id="1' OR '1'='1", fields=['name', 'email'],
                                lang='en')
    print(port, 'soapAction:', op.soapaction)
    print(etree_to_string(env).decode())
