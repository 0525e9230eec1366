"""Formulário da configuração do município (``configuracao.toml``) para o aplicativo web.

Cada campo é conferido pelas mesmas regras da leitura do arquivo (``configuracao.conferir_campo``), com a mensagem
em português ao lado do campo; "Gravar" só grava quando todos os campos estão certos, pela gravação atômica que
preserva o resto do arquivo (``configuracao.gravar``). Nenhum valor de regra fica aqui: o mínimo legal vem das
regras do exercício, e os campos vazios deixam valer os padrões.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as w

from .. import configuracao
from ..erros import ErroSiops

PADRAO = "(padrão)"


class FormularioConfiguracao:
    """Campos de ``configuracao.CAMPOS_FORMULARIO``; ``ao_gravar()`` é chamado depois de gravar com sucesso."""

    def __init__(self, ao_gravar=None):
        self.ao_gravar = ao_gravar
        self.arquivo: Path | None = None
        self.campos: dict[str, w.Widget] = {}
        self.avisos: dict[str, w.HTML] = {}
        linhas = []
        for chave, rotulo in configuracao.CAMPOS_FORMULARIO.items():
            if chave in configuracao.OPCOES_FORMULARIO:
                campo = w.Dropdown(options=[(PADRAO, "")] + [(o, o) for o in configuracao.OPCOES_FORMULARIO[chave]],
                                   value="", layout=w.Layout(width="260px"))
            else:
                campo = w.Text(layout=w.Layout(width="360px"), continuous_update=False)
            campo.add_class("siops-campo-" + chave.replace(".", "-").replace("_", "-"))
            aviso = w.HTML()
            aviso.add_class("siops-campo-erro")
            campo.observe(lambda _, c=chave: self.conferir(c), names="value")
            self.campos[chave], self.avisos[chave] = campo, aviso
            linhas.append(w.HBox([w.HTML(f"<label>{escape(rotulo)}</label>", layout=w.Layout(width="330px")),
                                  campo, aviso]))
        self.botao_gravar = w.Button(description="Gravar a configuração", icon="save", button_style="primary",
                                     layout=w.Layout(width="auto"))
        self.botao_gravar.add_class("siops-gravar-configuracao")
        self.botao_gravar.on_click(lambda _: self.gravar())
        self.mensagem = w.HTML()
        self.mensagem.add_class("siops-mensagem-configuracao")
        self.cabeca = w.HTML()
        self.widget = w.VBox([self.cabeca, *linhas, self.botao_gravar, self.mensagem])
        self.widget.add_class("siops-formulario-configuracao")

    def mostrar(self, cfg, arquivo: Path | None) -> None:
        """Preenche os campos com a configuração lida (``None``: formulário desabilitado)."""
        self.arquivo = Path(arquivo) if arquivo else None
        self.mensagem.value = ""
        valores = configuracao.valores_do_formulario(cfg) if cfg is not None else {}
        for chave, campo in self.campos.items():
            campo.value = valores.get(chave, "")
            campo.disabled = cfg is None or self.arquivo is None
            self.avisos[chave].value = ""
        self.botao_gravar.disabled = cfg is None or self.arquivo is None
        if self.arquivo is None:
            self.cabeca.value = ("<p>Dados da MSC sem arquivo de configuração: inicie o aplicativo com "
                                 "<code>--config ARQ</code> para editar a configuração aqui.</p>")
        else:
            existe = "" if self.arquivo.is_file() else " (ainda não existe: será criado ao gravar)"
            self.cabeca.value = (f"<p>Arquivo <code>{escape(str(self.arquivo))}</code>{escape(existe)}. Campo vazio = "
                                 "vale o padrão (docs/configuracao.md). Só os campos abaixo mudam; o resto do "
                                 "arquivo fica como está.</p>")

    def conferir(self, chave: str) -> tuple[object, str]:
        valor, erro = configuracao.conferir_campo(chave, self.campos[chave].value)
        self.avisos[chave].value = f"<span class='siops-campo-invalido'>{escape(erro)}</span>" if erro else ""
        return valor, erro

    def valores(self) -> tuple[dict[str, object], int]:
        """(chave → valor conferido, número de campos com erro)."""
        saida, erros = {}, 0
        for chave in self.campos:
            valor, erro = self.conferir(chave)
            erros += bool(erro)
            saida[chave] = valor
        return saida, erros

    def gravar(self) -> bool:
        if self.arquivo is None:
            return False
        valores, erros = self.valores()
        if erros:
            self.mensagem.value = (f"<div class='siops-erro'>Nada foi gravado: {erros} campo(s) com erro "
                                   "(veja a mensagem ao lado de cada um).</div>")
            return False
        from ..saida import gravar_atomico

        antes = self.arquivo.read_bytes() if self.arquivo.is_file() else None
        try:
            configuracao.gravar(self.arquivo, valores)
            try:   # o arquivo inteiro, com a pasta (CSV e exercício), pelas regras da leitura
                configuracao.ler(pasta=self.arquivo.parent, arquivo=self.arquivo)
            except ErroSiops:
                if antes is None:
                    self.arquivo.unlink()
                else:
                    gravar_atomico(self.arquivo, antes)
                raise
        except ErroSiops as e:
            primeira = e.texto().split("\n")
            detalhes = "<br/>".join(escape(x) for x in primeira[1:8])
            self.mensagem.value = (f"<div class='siops-erro'>Nada foi gravado: {escape(primeira[0])}"
                                   f"{'<br/>' + detalhes if detalhes else ''}</div>")
            return False
        self.mensagem.value = "<span class='siops-ok siops-configuracao-gravada'>Configuração gravada.</span>"
        if self.ao_gravar:
            self.ao_gravar()
        return True
