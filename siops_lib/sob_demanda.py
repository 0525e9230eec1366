"""Nomes de um pacote importados sob demanda (``siops_lib``, ``siops_lib.leitura``, ``siops_lib.equivalencias``).

Um ``__init__.py`` que reexporta os nomes dos submódulos importa todos eles ao ser aberto, e importar qualquer
submódulo (``siops_lib.leitura.msc``) roda antes o ``__init__.py`` do pacote: pagaria o pacote inteiro. Com
``exportar_sob_demanda``, cada nome só é importado no primeiro acesso (``siops_lib.carregar``,
``from siops_lib import periodo``) e o pacote continua oferecendo os mesmos nomes.

Caso tratado aqui: quando um nome exportado é também o nome de um submódulo (a função ``periodo`` do submódulo
``siops_lib.periodo``; a função ``cobertura`` de ``siops_lib.equivalencias.cobertura``), a importação do
submódulo gravaria o módulo nesse atributo do pacote e esconderia a função. O pacote ignora essa gravação: o
atributo continua sendo o nome exportado, como quando o pacote importava tudo de uma vez (o submódulo segue em
``sys.modules`` e ``from siops_lib.periodo import periodo`` funciona como sempre).
"""
from __future__ import annotations

import importlib
import sys
import types


class PacoteSobDemanda(types.ModuleType):
    """Módulo de pacote que não deixa um submódulo esconder o nome exportado de mesmo nome."""

    def __setattr__(self, nome: str, valor) -> None:
        exportados = self.__dict__.get("_atributos_sob_demanda", ())
        if nome in exportados and isinstance(valor, types.ModuleType) and valor.__name__ == f"{self.__name__}.{nome}":
            return  # o import machinery gravando o submódulo homônimo: o atributo é o nome exportado
        super().__setattr__(nome, valor)


def exportar_sob_demanda(nome_pacote: str, atributos: dict[str, str], modulos: dict[str, str] | None = None) -> None:
    """Instala no pacote ``nome_pacote`` o acesso sob demanda.

    ``atributos``: nome exportado → submódulo (relativo ao pacote, ex.: ``".api"``) de onde vem o nome de mesmo
    nome. ``modulos``: nome exportado → submódulo que é ele mesmo o nome (ex.: ``"anexo12": ".quadros.anexo12"``).
    Nome desconhecido dá ``AttributeError`` como num módulo comum (e ``from pacote import submodulo`` continua
    importando o submódulo).
    """
    pacote = sys.modules[nome_pacote]
    atributos = dict(atributos)
    modulos = dict(modulos or {})

    def __getattr__(nome: str):
        if nome in atributos:
            valor = getattr(importlib.import_module(atributos[nome], nome_pacote), nome)
        elif nome in modulos:
            valor = importlib.import_module(modulos[nome], nome_pacote)
        else:
            raise AttributeError(f"module '{nome_pacote}' has no attribute '{nome}'")
        pacote.__dict__[nome] = valor  # os próximos acessos não passam por aqui
        return valor

    def __dir__() -> list[str]:
        return sorted(set(pacote.__dict__) | set(atributos) | set(modulos))

    pacote.__getattr__ = __getattr__
    pacote.__dir__ = __dir__
    pacote._atributos_sob_demanda = frozenset(atributos)
    pacote.__class__ = PacoteSobDemanda
