"""Guarda da reorganização: o motor de regras dá as mesmas saídas registradas antes dela.

Registro = regressão, não verdade (veja ``saidas.py``). Uma diferença aqui quer dizer que uma
mudança de código alterou um número, uma crítica ou um byte de ``.IMPT``; se a mudança de regra
for intencional, prove-a com casos calculados à mão e regrave o registro.
"""
import json

from saidas import BETIM, REGISTRO, calcular_tudo


def test_saidas_iguais_as_registradas():
    registrado = json.loads(REGISTRO.read_text(encoding="utf-8"))
    if not BETIM.is_file():
        registrado = {k: v for k, v in registrado.items() if not k.startswith("betim/")}
    atual = calcular_tudo()
    assert set(atual) == set(registrado)
    diferentes = sorted(k for k in registrado if atual[k] != registrado[k])
    assert not diferentes, f"{len(diferentes)} saídas mudaram: {diferentes[:20]}"
