"""Painel de conferência para o Jupyter (ipywidgets): quadro, detalhamento, diferenças e comparação.

Só a tela: a lógica está em ``siops_lib.conferencia`` (quadros, detalhamento até as linhas de origem e as
equivalências, diferenças entre bimestres, comparação com o publicado) e em ``siops_lib.relatorio`` (a parte
do relatório gerencial mostrada ao lado do quadro). Os resultados ficam em atributos (``tabela``,
``detalhe``, ``tabela_diferencas``, ``tabela_comparacao``) e em widgets HTML, então os testes apertam os
botões (``.click()``) e conferem o conteúdo sem navegador.

Uso no notebook::

    from siops_lib.ui.conferencia import PainelConferencia
    painel = PainelConferencia(dados="dados_exemplo/gerado/layout_proprio")
    painel.widget
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .. import conferencia as conf
from ..erros import ErroSiops
from ..periodo import periodo
from ..quadros import anexo12
from ..relatorio import entradas
from ..relatorio.entradas import ENTIDADE_CONSOLIDADO

COLUNAS_CANONICAS = ["linha_anexo", "papel", "tabela", "entidade", "mes", "nr", "fs", "nd", "fr", "co", "fr_original",
                     "ai", "estagio", "valor", "sinal", "contribuicao", "valor_coluna", "arquivo", "linha"]


def _erro(e: Exception) -> str:
    texto = e.texto() if isinstance(e, ErroSiops) else f"{type(e).__name__}: {e}"
    return f'<div style="color:#b00020;font-weight:bold">Erro: {escape(texto)}</div>'


def _secao(titulo: str, df: pd.DataFrame, max_linhas: int = 200, estilo=None) -> str:
    if df is None or df.empty:
        return f"<h4>{escape(titulo)}</h4><p><i>nenhuma linha</i></p>"
    corpo = estilo(df.head(max_linhas)).to_html() if estilo else conf.tabela_html(df, max_linhas)
    if estilo and len(df) > max_linhas:
        corpo += f"<p>… e mais {len(df) - max_linhas} linha(s).</p>"
    return f"<h4>{escape(titulo)} ({len(df)})</h4><div style='max-height:420px;overflow:auto'>{corpo}</div>"


class PainelConferencia:
    """Widgets da conferência. ``dados``: pasta do layout próprio; ``msc``: pasta da MSC; ``pastas``: vários
    exercícios (exercício → pasta do layout próprio). Sem nada, o município de exemplo."""

    def __init__(self, dados=None, msc=None, pastas: dict | None = None,
                 parametros: anexo12.Parametros | None = None):
        self.parametros = parametros or anexo12.Parametros()
        if pastas:
            self.fontes = {int(ex): ("dados", str(p)) for ex, p in pastas.items()}
        else:
            if not dados and not msc:
                dados = entradas.pasta_exemplo()
            ident = entradas.identificar(dados or None, msc or None)
            self.fontes = {ident.exercicio: ("dados", str(dados)) if dados else ("msc", str(msc))}
        self.tabela: pd.DataFrame | None = None
        self.detalhe: conf.Detalhe | None = None
        self.tabela_diferencas: pd.DataFrame | None = None
        self.tabela_comparacao: pd.DataFrame | None = None
        self._celulas = pd.DataFrame()
        self._contextos: dict = {}

        rotulo = {"description_width": "90px"}
        self.exercicio = w.Dropdown(description="Exercício", options=sorted(self.fontes), style=rotulo)
        self.entidade = w.Dropdown(description="Entidade", style=rotulo)
        self.bimestre = w.Dropdown(description="Bimestre", options=[(f"{b}º bimestre", b) for b in range(1, 7)],
                                   value=6, style=rotulo)
        self.quadro = w.Dropdown(description="Quadro", options=[(n, k) for k, n in conf.QUADROS.items()],
                                 value="anexo12", style=rotulo, layout=w.Layout(width="460px"))
        self.botao_quadro = w.Button(description="Mostrar quadro", button_style="primary", icon="table")
        self.mensagem = w.HTML()
        self.html_quadro = w.HTML(layout=w.Layout(width="50%", max_height="640px", overflow="auto"))
        self.html_relatorio = w.HTML(layout=w.Layout(width="50%", max_height="640px", overflow="auto"))

        self.filtro_celula = w.Text(description="Filtrar", placeholder="ex.: 4_12 3390399999 liquidada",
                                    style=rotulo, layout=w.Layout(width="460px"))
        self.celula = w.Dropdown(description="Célula", options=[], style=rotulo, layout=w.Layout(width="95%"))
        self.botao_detalhar = w.Button(description="Detalhar célula", icon="search")
        self.html_detalhe = w.HTML()

        self.bimestre_a = w.Dropdown(description="De", options=[(f"{b}º bimestre", b) for b in range(1, 7)], value=5,
                                     style=rotulo)
        self.bimestre_b = w.Dropdown(description="Para", options=[(f"{b}º bimestre", b) for b in range(1, 7)], value=6,
                                     style=rotulo)
        self.so_mudancas = w.Checkbox(description="só o que mudou", value=True)
        self.botao_diferencas = w.Button(description="Comparar bimestres", icon="exchange")
        self.html_diferencas = w.HTML()

        self.upload = w.FileUpload(accept=".csv,.txt", multiple=False, description="Carregar CSV")
        self.texto_publicado = w.Textarea(placeholder="ou cole aqui: linha;coluna;valor\nIII;realizada;68.427.471,30",
                                          layout=w.Layout(width="95%", height="120px"))
        self.so_diferentes = w.Checkbox(description="só as diferenças", value=False)
        self.botao_comparar = w.Button(description="Comparar com o publicado", icon="balance-scale")
        self.botao_baixar = w.Button(description="Baixar do SIOPS", icon="download",
                                     tooltip="Anexo 12 homologado no SIOPS do mesmo município e bimestre (API pública)")
        self.pasta_publicos = Path("dados_publicos")
        """Onde guardar as respostas das APIs públicas (cache: sem rede depois da primeira vez)."""
        self.html_comparacao = w.HTML()

        # o último que o usuário informou vale: carregar um arquivo limpa o texto colado e vice-versa
        self.upload.observe(lambda m: setattr(self.texto_publicado, "value", "") if m["new"] else None, names="value")
        self.texto_publicado.observe(lambda m: setattr(self.upload, "value", ()) if m["new"].strip() else None,
                                     names="value")
        self.exercicio.observe(lambda _m: self._entidades(), names="value")
        self.filtro_celula.observe(lambda _m: self._filtrar_celulas(), names="value")
        self.botao_quadro.on_click(lambda _b: self.mostrar_quadro())
        self.botao_detalhar.on_click(lambda _b: self.detalhar())
        self.botao_diferencas.on_click(lambda _b: self.comparar_bimestres())
        self.botao_comparar.on_click(lambda _b: self.comparar_publicado())
        self.botao_baixar.on_click(lambda _b: self.baixar_publicado())
        self._entidades()

        abas = w.Tab(children=[
            w.VBox([self.botao_quadro, w.HBox([self.html_quadro, self.html_relatorio])]),
            w.VBox([self.filtro_celula, self.celula, self.botao_detalhar, self.html_detalhe]),
            w.VBox([w.HBox([self.bimestre_a, self.bimestre_b, self.so_mudancas]), self.botao_diferencas,
                    self.html_diferencas]),
            w.VBox([w.HBox([self.upload, self.botao_baixar, self.so_diferentes]), self.texto_publicado,
                    self.botao_comparar, self.html_comparacao]),
        ])
        for i, titulo in enumerate(["Quadro", "Detalhamento", "Diferenças entre bimestres", "Comparação com o publicado"]):
            abas.set_title(i, titulo)
        self.abas = abas
        self.widget = w.VBox([w.HBox([self.exercicio, self.entidade]), w.HBox([self.bimestre, self.quadro]),
                              self.mensagem, abas])

    # ------------------------------------------------------------------ dados
    def _fonte(self):
        tipo, caminho = self.fontes[self.exercicio.value]
        return (caminho, None) if tipo == "dados" else (None, caminho)

    def _todos(self, bimestre: int | None = None):
        dados, msc = self._fonte()
        todos, digitais = entradas.carregar(dados, msc, bimestre if msc else None)
        return todos, digitais

    def _entidades(self) -> None:
        todos, _ = self._todos()
        opcoes = [("Consolidado", ENTIDADE_CONSOLIDADO)] + [
            (f"{n} ({e})", e) for e, n in zip(todos.entidades["entidade"], todos.entidades["nome"])]
        self.entidade.options = opcoes
        self.entidade.value = ENTIDADE_CONSOLIDADO

    def dados_selecionados(self, bimestre: int | None = None):
        """Dados canônicos da entidade escolhida (ou consolidado)."""
        todos, _ = self._todos(bimestre or self.bimestre.value)
        ent = self.entidade.value
        return todos if ent == ENTIDADE_CONSOLIDADO else todos.filtrar_entidades([ent])

    @property
    def pasta_dados(self) -> Path | None:
        dados, _ = self._fonte()
        return Path(dados) if dados else None

    # ------------------------------------------------------------------ quadro
    def mostrar_quadro(self) -> None:
        """Calcula o quadro escolhido, mostra ao lado da parte do relatório e prepara as células para detalhar."""
        from ..relatorio import html as html_rel
        from ..relatorio.contexto import montar_contexto

        self.mensagem.value = ""
        try:
            dados = self.dados_selecionados()
            per = periodo(bimestre=self.bimestre.value)
            self.tabela = conf.calcular_quadro(dados, per, self.quadro.value, self.parametros)
            self.html_quadro.value = f"<h4>{escape(conf.QUADROS[self.quadro.value])}</h4>" + conf.tabela_html(
                self.tabela, 400)
            chave = (self.exercicio.value, self.entidade.value, self.bimestre.value)
            if chave not in self._contextos:
                fonte_dados, fonte_msc = self._fonte()
                self._contextos[chave] = montar_contexto(fonte_dados, fonte_msc, self.entidade.value,
                                                         self.bimestre.value, parametros=self.parametros,
                                                         com_criticas=False)
            self.html_relatorio.value = html_rel.para_tela(
                html_rel.secao_do_quadro(self._contextos[chave], self.quadro.value))
            self._celulas = conf.celulas(self.tabela, self.quadro.value) if self.quadro.value != "anexo12_controles" \
                else pd.DataFrame()
            self._filtrar_celulas()
        except Exception as e:  # a tela mostra o erro em vez de quebrar
            self.mensagem.value = _erro(e)

    def _filtrar_celulas(self) -> None:
        if self._celulas.empty:
            self.celula.options = []
            return
        termos = [t.lower() for t in self.filtro_celula.value.split() if t]
        sel = self._celulas
        if termos:
            texto = sel["texto"].str.lower()
            m = pd.Series(True, index=sel.index)
            for t in termos:
                m &= texto.str.contains(t, regex=False)
            sel = sel[m]
        self.celula.options = [(t, i) for i, t in zip(sel.index, sel["texto"].head(1000))]

    def escolher_celula(self, **chave) -> None:
        """Seleciona a célula pelas chaves (ex.: pasta="4_12", elemento="3.3.90.39", coluna="liquidada")."""
        if self._celulas.empty:
            self.mostrar_quadro()
        alvo = conf.normalizar_celula(self.quadro.value, **chave)
        sel = self._celulas
        for k, v in alvo.items():
            if v not in (None, "") and k in sel:
                sel = sel[sel[k].astype(str) == str(v)]
        if sel.empty:
            raise ErroSiops(f"célula não encontrada no quadro: {chave}")
        self.filtro_celula.value = ""
        self.celula.value = int(sel.index[0])

    # ------------------------------------------------------------------ detalhamento
    def detalhar(self) -> None:
        """Linhas canônicas, linhas dos arquivos e equivalências da célula escolhida."""
        try:
            if self.celula.value is None:
                raise ErroSiops("escolha uma célula (mostre o quadro antes)")
            linha = self._celulas.loc[self.celula.value]
            chave = {c: linha[c] for c in conf.CHAVES[self.quadro.value] if c in linha}
            dados = self.dados_selecionados()
            per = periodo(bimestre=self.bimestre.value)
            self.detalhe = conf.detalhar(dados, per, self.quadro.value, self.parametros, self.pasta_dados,
                                         tabela=self.tabela, **chave)
            d = self.detalhe
            cor = "#0f5132" if (d.confere or not d.conferivel) else "#b00020"
            can = d.canonicas[[c for c in COLUNAS_CANONICAS if c in d.canonicas]]
            self.html_detalhe.value = (
                f'<p style="color:{cor};font-weight:bold">{escape(d.resumo())}</p>'
                + _secao("Linhas canônicas que compõem a célula", can)
                + _secao("Linhas dos arquivos de origem", d.fontes)
                + _secao("Equivalências que roteiam os códigos locais", d.regras))
        except Exception as e:
            self.detalhe = None
            self.html_detalhe.value = _erro(e)

    # ------------------------------------------------------------------ diferenças
    def comparar_bimestres(self) -> None:
        """Movimento entre dois bimestres do quadro escolhido; reduções destacadas."""
        try:
            dados = self.dados_selecionados(max(self.bimestre_a.value, self.bimestre_b.value))
            df = conf.diferencas(dados, self.quadro.value, self.bimestre_a.value, self.bimestre_b.value,
                                 self.parametros)
            if self.so_mudancas.value:
                df = df[df["situacao"] != conf.SITUACAO_IGUAL].reset_index(drop=True)
            self.tabela_diferencas = df
            contagem = df["situacao"].value_counts()
            resumo = ", ".join(f"{n} {s}" for s, n in contagem.items()) or "nada mudou"
            alertas = int((df["alerta"] != "").sum())
            self.html_diferencas.value = (f"<p><b>{escape(resumo)}</b>; {alertas} redução(ões) destacada(s) "
                                          "(estorno ou anulação).</p>"
                                          + _secao("Diferenças", df, 500, conf.estilo_diferencas))
        except Exception as e:
            self.tabela_diferencas = None
            self.html_diferencas.value = _erro(e)

    # ------------------------------------------------------------------ comparação com o publicado
    def _publicado(self):
        valor = self.upload.value
        arquivos = list(valor.values()) if isinstance(valor, dict) else list(valor or [])
        if arquivos:
            conteudo = arquivos[0]["content"]
            return bytes(conteudo.tobytes() if hasattr(conteudo, "tobytes") else conteudo)
        if self.texto_publicado.value.strip():
            return self.texto_publicado.value
        raise ErroSiops("carregue um CSV ou cole os valores publicados (linha;coluna;valor)")

    def baixar_publicado(self) -> None:
        """Preenche os valores publicados com o Anexo 12 homologado no SIOPS (município, exercício e bimestre da tela)."""
        from ..publicos import siops

        try:
            dados = self.dados_selecionados()
            if not str(dados.codigo_ibge).isdigit() or len(str(dados.codigo_ibge)) != 7:
                raise ErroSiops("os dados não dizem o código IBGE do município (7 dígitos): carregue o CSV publicado")
            destino = self.pasta_publicos / f"publicado_{dados.codigo_ibge}_{dados.exercicio}_b{self.bimestre.value}.csv"
            arquivo, _a14, n = siops.baixar_publicado(dados.codigo_ibge, dados.exercicio, self.bimestre.value, destino,
                                                      com_anexo14=False)
            self.upload.value = ()
            self.texto_publicado.value = Path(arquivo).read_text(encoding="utf-8")
            self.html_comparacao.value = (f"<p>{n} célula(s) do Anexo 12 homologado no SIOPS baixadas "
                                          f"({dados.codigo_ibge}, {self.bimestre.value}º bimestre de {dados.exercicio}).</p>")
        except Exception as e:
            self.html_comparacao.value = _erro(e)

    def comparar_publicado(self) -> None:
        """Anexo 12 calculado × valores publicados; diferenças em vermelho."""
        try:
            publicado = conf.ler_publicado(self._publicado())
            dados = self.dados_selecionados()
            per = periodo(bimestre=self.bimestre.value)
            calculado = conf.calcular_quadro(dados, per, "anexo12", self.parametros)
            df = conf.comparar_publicado(calculado, publicado)
            if self.so_diferentes.value:
                df = df[df["situacao"] != "confere"].reset_index(drop=True)
            self.tabela_comparacao = df
            n = df["situacao"].value_counts()
            self.html_comparacao.value = (
                f"<p><b>{int(n.get('confere', 0))} célula(s) conferem, {int(n.get('diferente', 0))} diferente(s), "
                f"{int(n.get('só no publicado', 0))} só no publicado.</b></p>"
                + _secao("Comparação com o publicado", df, 500, conf.estilo_comparacao))
        except Exception as e:
            self.tabela_comparacao = None
            self.html_comparacao.value = _erro(e)
