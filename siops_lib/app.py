"""Aplicativo web do workbench (servido pelo Voilà com ``siops app``): a bancada inteira sem código na tela.

Escolha a pasta de dados, o exercício, o bimestre e a entidade; veja o resumo ASPS, o Anexo 12 e os quadros do
SIOPS; confirme sugestões de equivalência (ou use o editor completo, o mesmo do notebook); gere o zip com os
arquivos .IMPT e o relatório em PDF/XLSX e baixe-os pelos links.

Só a tela: o cálculo é o da biblioteca (``quadros``, ``impt.gerador``, ``relatorio``) e toda mudança de equivalência
passa por ``siops_lib.equivalencias`` (gravação atômica, com diário). Os widgets ficam em atributos, então os testes
apertam os botões (``.click()``) sem navegador; o teste de ponta a ponta usa o Chromium.
"""
from __future__ import annotations

import base64
import os
from html import escape
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .erros import ErroSiops
from .formatos import numero_br, percentual_br
from . import relogio
from . import quadros
from .periodo import periodo
from .quadros import anexo12

CONSOLIDADO = "consolidado"
QUEM = "aplicativo web"
ABAS_SUGESTAO = ("rubricas", "elementos", "recursos", "contas", "asps")
QUADROS = tuple(quadros.quadros_siops())
"""Quadros do SIOPS mostrados (os do registro ``quadros.REGISTRO``)."""


def _erro(e: Exception) -> str:
    texto = e.texto() if isinstance(e, ErroSiops) else f"{type(e).__name__}: {e}"
    return f'<div class="siops-erro" style="color:#b00020;font-weight:bold">Erro: {escape(texto)}</div>'


def _link(caminho: Path, tipo: str, classe: str) -> str:
    dados = base64.b64encode(Path(caminho).read_bytes()).decode("ascii")
    return (f'<a class="{classe}" download="{escape(Path(caminho).name)}" href="data:{tipo};base64,{dados}">'
            f'Baixar {escape(Path(caminho).name)}</a>')


def _tabela(df: pd.DataFrame, max_linhas: int = 300) -> str:
    fmt = {c: numero_br for c in df.columns if pd.api.types.is_float_dtype(df[c])}
    corpo = df.head(max_linhas).to_html(index=False, formatters=fmt, border=0, classes="siops-tabela")
    extra = f"<p>… e mais {len(df) - max_linhas} linha(s).</p>" if len(df) > max_linhas else ""
    return f"<div style='max-height:480px;overflow:auto'>{corpo}</div>{extra}"


class Aplicativo:
    """Tela do aplicativo. ``pasta``: pasta do layout próprio (padrão: ``SIOPS_PASTA_DADOS`` ou o exemplo);
    ``saida``: onde gravar zip, PDF e XLSX (padrão: ``saida_app`` ao lado da pasta de dados); ``config``: a
    configuração do município (padrão: ``SIOPS_CONFIG`` ou o ``configuracao.toml`` da pasta)."""

    def __init__(self, pasta=None, saida=None, config=None):
        from .ui.editor_equivalencias import pasta_de_trabalho

        pasta = pasta_de_trabalho(pasta)
        self.saida = Path(saida) if saida else Path(pasta).parent / "saida_app"
        self.arquivo_config = Path(config) if config else (Path(os.environ["SIOPS_CONFIG"])
                                                           if os.environ.get("SIOPS_CONFIG") else None)
        self.dados = None
        self.resultado = None
        self.resolucao = None
        self.tabela_criticas = None
        estilo = {"description_width": "110px"}
        self.campo_pasta = w.Text(value=str(pasta), description="Pasta de dados", style=estilo,
                                  layout=w.Layout(width="70%"))
        self.botao_abrir = w.Button(description="Abrir pasta", icon="folder-open")
        self.campo_ibge = w.Text(description="Código IBGE", placeholder="ex.: 3106705", style=estilo,
                                 layout=w.Layout(width="260px"))
        self.campo_ano = w.BoundedIntText(description="Exercício", value=relogio.instante().year - 1, min=2023,
                                          max=2100, style=estilo, layout=w.Layout(width="220px"))
        self.botao_siconfi = w.Button(description="Baixar do SICONFI", icon="download",
                                      tooltip="MSC do município pela API pública do Tesouro (com cache: sem rede depois)")
        self.pasta_publicos = Path(os.environ.get("SIOPS_PASTA_PUBLICOS") or "dados_publicos")
        self.exercicio = w.Dropdown(description="Exercício", style=estilo)
        self.bimestre = w.Dropdown(description="Bimestre", style=estilo,
                                   options=[(f"{b}º bimestre", b) for b in range(1, 7)], value=6)
        self.entidade = w.Dropdown(description="Entidade", style=estilo)
        self.bimestre.add_class("siops-bimestre")
        self.entidade.add_class("siops-entidade")
        self.mensagem = w.HTML()
        self.resumo = w.HTML()
        self.resumo.add_class("siops-resumo")
        self.anexo = w.HTML()
        self.quadros = w.HTML()
        self.sugestoes = w.Dropdown(description="Sugestão", style=estilo, layout=w.Layout(width="80%"))
        self.sugestoes.add_class("siops-sugestoes")
        self.botao_confirmar = w.Button(description="Confirmar sugestão", button_style="success", icon="check")
        self.botao_confirmar.add_class("siops-confirmar")
        self.mensagem_equivalencias = w.HTML()
        self.mensagem_equivalencias.add_class("siops-mensagem-equivalencias")
        self.botao_editor = w.Button(description="Abrir o editor completo", icon="table")
        self.area_editor = w.VBox()
        self.botao_impt = w.Button(description="Gerar arquivos .IMPT (zip)", icon="file-archive-o")
        self.botao_impt.add_class("siops-gerar-impt")
        self.botao_relatorio = w.Button(description="Gerar PDF e XLSX", icon="file-pdf-o")
        self.botao_relatorio.add_class("siops-gerar-relatorio")
        self.downloads = w.HTML()
        self.downloads.add_class("siops-downloads")
        self.botao_criticas = w.Button(description="Rodar as críticas prévias", icon="check-square-o")
        self.botao_criticas.add_class("siops-rodar-criticas")
        self.criticas = w.HTML()
        self.criticas.add_class("siops-criticas")
        self.municipio = w.HTML()
        self.municipio.add_class("siops-municipio")
        self.arquivos: dict[str, Path] = {}

        self.botao_abrir.on_click(lambda _: self.abrir())
        self.botao_siconfi.on_click(lambda _: self.baixar_municipio())
        self.botao_confirmar.on_click(lambda _: self.confirmar_sugestao())
        self.botao_editor.on_click(lambda _: self.abrir_editor())
        self.botao_impt.on_click(lambda _: self.gerar_impt())
        self.botao_relatorio.on_click(lambda _: self.gerar_relatorio())
        self.botao_criticas.on_click(lambda _: self.rodar_criticas())
        self._observando = False

        abas = w.Tab(children=[self.anexo, self.quadros,
                               w.VBox([w.HTML("<p>Sugestões de equivalência ainda não confirmadas (o cálculo só usa "
                                              "as confirmadas):</p>"),
                                       w.HBox([self.sugestoes, self.botao_confirmar]), self.mensagem_equivalencias,
                                       self.botao_editor, self.area_editor]),
                               w.VBox([w.HBox([self.botao_impt, self.botao_relatorio]), self.downloads]),
                               w.VBox([self.botao_criticas, self.criticas]), self.municipio])
        for i, titulo in enumerate(["Anexo 12", "Quadros do SIOPS", "Equivalências", "Arquivos", "Críticas",
                                    "Município"]):
            abas.set_title(i, titulo)
        self.widget = w.VBox([
            w.HTML("<h2>SIOPS Workbench</h2>"),
            w.HBox([self.campo_pasta, self.botao_abrir]),
            w.HBox([self.campo_ibge, self.campo_ano, self.botao_siconfi]),
            w.HBox([self.exercicio, self.bimestre, self.entidade]),
            self.mensagem, self.resumo, abas,
        ])
        self.abrir()

    # ------------------------------------------------------------------------------ dados e cálculo

    @property
    def pasta(self) -> Path:
        return Path(self.campo_pasta.value.strip())

    def _e_msc(self) -> bool:
        """A pasta aberta é uma MSC (baixada do SICONFI ou arquivos CSV), e não o layout próprio?"""
        from .leitura.msc_api import e_download

        return e_download(self.pasta) or (self.pasta.is_dir() and not (self.pasta / "municipio.csv").is_file()
                                          and any(self.pasta.glob("*.csv")))

    def _ler(self):
        from .leitura import ler_layout_proprio

        if self._e_msc():
            from .api import carregar

            return carregar(msc=[self.pasta])
        return ler_layout_proprio(self.pasta, forcar=True)

    def baixar_municipio(self) -> None:
        """Baixa (ou lê do cache) a MSC do município do código IBGE e abre a pasta do download."""
        from . import publicos

        ibge = self.campo_ibge.value.strip()
        try:
            destino = publicos.municipio(ibge, int(self.campo_ano.value), pasta=self.pasta_publicos /
                                         f"{ibge}_{int(self.campo_ano.value)}", progresso=False)
        except Exception as e:  # noqa: BLE001 — a tela mostra o erro em vez de quebrar
            self.mensagem.value = _erro(e)
            return
        self.campo_pasta.value = str(destino)
        self.abrir()

    def abrir(self) -> None:
        """Lê a pasta e a configuração do município e preenche exercício, bimestres e entidades; depois calcula."""
        from . import configuracao

        self._parar_observacao()
        try:
            cfg = configuracao.ler(pasta=self.pasta, arquivo=self.arquivo_config)
            todos = configuracao.aplicar(self._ler(), cfg)
            self.resolucao = configuracao.resolver(cfg)
        except Exception as e:  # noqa: BLE001 — a tela mostra o erro em vez de quebrar
            self.dados = None
            self.mensagem.value = _erro(e)
            self.resumo.value = ""
            return
        self._todos = todos
        self.municipio.value = _municipio_html(cfg, self.resolucao)
        self.criticas.value = ""
        self.tabela_criticas = None
        self.exercicio.options = [(str(todos.exercicio), todos.exercicio)]
        self.exercicio.value = todos.exercicio
        cobertos = [b for b in range(1, 7) if 2 * b in todos.meses] or [6]
        self.bimestre.options = [(f"{b}º bimestre", b) for b in cobertos]
        self.bimestre.value = cobertos[-1]
        ents = [("Consolidado (todas)", CONSOLIDADO)] + [(f"{n} ({e})", e) for e, n in
                                                         zip(todos.entidades["entidade"], todos.entidades["nome"])]
        self.entidade.options = ents
        self.entidade.value = CONSOLIDADO
        self._observar()
        self.atualizar_sugestoes()
        self.calcular()

    def _observar(self) -> None:
        if not self._observando:
            self.bimestre.observe(self._mudou, names="value")
            self.entidade.observe(self._mudou, names="value")
            self._observando = True

    def _parar_observacao(self) -> None:
        if self._observando:
            self.bimestre.unobserve(self._mudou, names="value")
            self.entidade.unobserve(self._mudou, names="value")
            self._observando = False

    def _mudou(self, _=None) -> None:
        self.calcular()

    @property
    def periodo(self):
        return periodo(bimestre=int(self.bimestre.value))

    def calcular(self) -> None:
        """Calcula o Anexo 12 e os quadros do período e da entidade escolhidos."""
        from . import configuracao

        try:
            ent = self.entidade.value
            dados = self._todos.filtrar_entidades(None if ent == CONSOLIDADO else [ent])
            per = self.periodo
            par = self.resolucao.parametros.resolvido(dados.exercicio)
            res = anexo12.calcular(dados, per, par)
            comparacoes = configuracao.comparacoes(res, per, par, dados.exercicio, self.resolucao.origens)
        except Exception as e:  # noqa: BLE001
            self.mensagem.value = _erro(e)
            self.resumo.value = ""
            return
        self.dados, self.resultado, self.parametros = dados, res, par
        self.tabela_criticas = None
        self.criticas.value = ""
        col = anexo12.coluna_do_periodo(per)
        pct = anexo12.percentual_aplicado(res, per)
        minimo = par.percentual_minimo
        situacao = "cumpre o mínimo" if pct >= minimo else "ABAIXO do mínimo"
        pend = ""
        if dados.forcado and len(dados.pendencias):
            pend = ("<p style='color:#b00020'><b>GERADO COM PENDÊNCIAS:</b> há códigos com valor sem equivalência "
                    "confirmada (aba Equivalências).</p>")
        notas = "".join(f"<p class='siops-nota-configuracao'>{escape(n)}</p>"
                        for n in self.resolucao.configuracao.notas)
        self.mensagem.value = pend + notas
        self.resumo.value = (
            f"<div style='font-size:1.1em'><b>{escape(dados.municipio or dados.codigo_ibge)}</b> — exercício "
            f"{dados.exercicio}, {escape(per.descricao)}, {escape(self.entidade.label)}<br/>"
            f"Base (III): R$ {numero_br(anexo12.valor(res, 'III', 'realizada'))} · Aplicado (XVI, {col}): "
            f"R$ {numero_br(anexo12.valor(res, 'XVI', col))} · Mínimo (XVII): "
            f"R$ {numero_br(anexo12.valor(res, 'XVII', col))}<br/>"
            f"Aplicado em ASPS: <span class='siops-percentual' style='font-size:1.4em;font-weight:bold'>"
            f"{percentual_br(pct)}</span> ({situacao})"
            + "".join(_comparacao_html(c) for c in comparacoes) + "</div>")
        self.anexo.value = _tabela(self._anexo_largo(res, dados.exercicio))
        partes = []
        for nome in QUADROS:
            try:
                df = quadros.modulo(nome).calcular(dados, per)
                partes.append(f"<h4>{escape(nome)} ({len(df)} linhas)</h4>" + _tabela(df, 100))
            except Exception as e:  # noqa: BLE001
                partes.append(f"<h4>{escape(nome)}</h4>" + _erro(e))
        self.quadros.value = "".join(partes)

    @staticmethod
    def _anexo_largo(res: pd.DataFrame, exercicio: int) -> pd.DataFrame:
        from . import regras

        lin = regras.tabela("anexo12/linhas", exercicio)
        largo = res.pivot_table(index="linha", columns="coluna", values="valor", sort=False).reset_index()
        largo = lin[["linha", "rotulo"]].merge(largo, on="linha", how="inner")
        return largo

    def percentual(self) -> float:
        return anexo12.percentual_aplicado(self.resultado, self.periodo)

    # ------------------------------------------------------------------------------ equivalências

    def atualizar_sugestoes(self) -> None:
        from . import equivalencias as eq

        opcoes = []
        if self._e_msc():
            self.sugestoes.options = [("(a MSC usa os códigos nacionais: não há equivalências)", None)]
            self.sugestoes.value = None
            return
        try:
            for aba in ABAS_SUGESTAO:
                v = eq.visao(self.pasta, aba)
                v = v[(v["estado"] == "sugerida") & v["valido"].astype(bool)]
                for r in v.itertuples(index=False):
                    rotulo = f"{aba} · {r.codigo_local} → {r.destino} ({r.descricao})"[:120]
                    opcoes.append((rotulo, (aba, r.entidade or "", r.codigo_local)))
        except Exception as e:  # noqa: BLE001
            self.mensagem_equivalencias.value = _erro(e)
        self.sugestoes.options = opcoes or [("(nenhuma sugestão pendente)", None)]
        self.sugestoes.value = opcoes[0][1] if opcoes else None

    def confirmar_sugestao(self) -> None:
        """Confirma a sugestão escolhida (pela biblioteca de equivalências) e recalcula."""
        from . import equivalencias as eq

        escolha = self.sugestoes.value
        if not escolha:
            self.mensagem_equivalencias.value = "<p>Nenhuma sugestão para confirmar.</p>"
            return
        aba, entidade, codigo = escolha
        try:
            eq.confirmar(self.pasta, aba, [(entidade, codigo)], quem=os.environ.get("SIOPS_USUARIO") or QUEM)
        except Exception as e:  # noqa: BLE001
            self.mensagem_equivalencias.value = _erro(e)
            return
        self.mensagem_equivalencias.value = (f"<p class='siops-confirmada'>Confirmada: {escape(aba)} · "
                                             f"{escape(codigo)} (gravada em equivalencias/{escape(aba)}.csv).</p>")
        from . import configuracao

        self._todos = configuracao.aplicar(self._ler(), self.resolucao.configuracao)
        self.atualizar_sugestoes()
        self.calcular()

    def abrir_editor(self) -> None:
        from .ui.editor_equivalencias import EditorEquivalencias

        try:
            self.editor = EditorEquivalencias(self.pasta, quem=os.environ.get("SIOPS_USUARIO") or QUEM)
            self.area_editor.children = [self.editor.widget if hasattr(self.editor, "widget") else self.editor]
        except Exception as e:  # noqa: BLE001
            self.area_editor.children = [w.HTML(_erro(e))]

    # ------------------------------------------------------------------------------ arquivos

    def _mostrar_downloads(self) -> None:
        tipos = {".zip": "application/zip", ".pdf": "application/pdf",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        links = [_link(p, tipos.get(p.suffix, "application/octet-stream"), f"siops-baixar-{p.suffix[1:]}")
                 for p in self.arquivos.values() if p.is_file()]
        self.downloads.value = "<br/>".join(links)

    def _contexto_criticas(self):
        """O contexto das críticas do período: o mesmo da linha de comando e do relatório (com as decisões ASPS)."""
        from .contexto import contexto_do_periodo

        return contexto_do_periodo(self.dados, self.periodo, self.parametros, self.pasta)

    def rodar_criticas(self, contexto=None) -> pd.DataFrame | None:
        """Roda as críticas prévias do período e da entidade escolhidos e mostra a tabela (aba Críticas)."""
        from . import criticas

        if self.dados is None:
            return None
        try:
            tabela = criticas.executar(contexto=contexto or self._contexto_criticas())
        except Exception as e:  # noqa: BLE001
            self.criticas.value = _erro(e)
            return None
        self.tabela_criticas = tabela
        n = criticas.contagem(tabela)
        oc = criticas.ocorrencias(tabela)[["id", "severidade", "titulo", "mensagem"]]
        self.criticas.value = (f"<p><b>Críticas prévias</b> — {n['erro']} erro(s), {n['alerta']} alerta(s); "
                               f"{n[criticas.OK]} sem ocorrência, {n[criticas.NAO_APLICAVEL]} não aplicável(is).</p>"
                               + (_tabela(oc) if len(oc) else "<p>Nenhuma ocorrência.</p>")
                               + "<p>As críticas do próprio programa do SIOPS continuam sendo a palavra final.</p>")
        return tabela

    def gerar_impt(self) -> Path | None:
        """Gera o zip com os .IMPT do período (com as críticas; pendências marcam o manifesto)."""
        from .impt import gerador

        if self.dados is None:
            return None
        b = int(self.bimestre.value)
        destino = self.saida / f"siops_{self.dados.exercicio}_b{b}_{self.entidade.value}.zip"
        try:
            ctx = self._contexto_criticas()
            tabela = self.rodar_criticas(ctx)
            if tabela is None:
                raise ErroSiops("as críticas prévias não puderam ser executadas (aba Críticas)")
            man = gerador.gerar_arquivos(self.dados, self.periodo, destino, forcar=True, parametros=self.parametros,
                                         contexto=ctx, criticas=tabela)
        except Exception as e:  # noqa: BLE001
            self.downloads.value = _erro(e)
            return None
        self.arquivos["zip"] = destino
        self._mostrar_downloads()
        situacao = man["situacao"].iloc[0] if len(man) else ""
        self.downloads.value += f"<p>Zip gerado: {escape(str(destino))} ({escape(str(situacao))}).</p>"
        return destino

    def gerar_relatorio(self) -> tuple[Path, Path] | None:
        """Gera o relatório gerencial em PDF e XLSX (siops_lib.relatorio)."""
        from . import relatorio

        try:
            r = relatorio.gerar(dados=str(self.pasta), entidade=self.entidade.value, bimestre=int(self.bimestre.value),
                                saida=str(self.saida), config=str(self.arquivo_config or ""))
        except Exception as e:  # noqa: BLE001
            self.downloads.value = _erro(e)
            return None
        self.arquivos["pdf"], self.arquivos["xlsx"] = Path(r.pdf), Path(r.xlsx)
        self._mostrar_downloads()
        self.downloads.value += f"<p class='siops-relatorio-pronto'>Relatório gerado: {escape(str(r.pdf))}</p>"
        return Path(r.pdf), Path(r.xlsx)


def _comparacao_html(c) -> str:
    """Uma linha do resumo: mínimo legal ou da Lei Orgânica, o valor em R$, a diferença e a situação."""
    from .formatos import percentual_br as pct

    if c.referencia == "legal":
        rotulo, situacao = f"{c.rotulo}, {pct(c.percentual)}", ("cumpre o mínimo" if c.cumpre else "ABAIXO do mínimo")
        classe = "siops-minimo-legal"
    else:
        rotulo = f"Lei Orgânica do Município, {pct(c.percentual)}{c.de_onde}"
        situacao = "cumpre a Lei Orgânica" if c.cumpre else "ABAIXO da Lei Orgânica"
        classe = "siops-lei-organica"
    return (f"<br/><span class='{classe}'>{escape(rotulo)}: mínimo R$ {numero_br(c.minimo)} · diferença "
            f"R$ {numero_br(c.diferenca)} ({situacao})</span>")


def _municipio_html(cfg, resolucao) -> str:
    """A configuração do município (aba Município): identificação, parâmetros com a origem, responsáveis."""
    from .formatos import data_br

    if not cfg.existe:
        cabeca = f"<p>{escape(' '.join(cfg.notas))}</p>"
    else:
        cabeca = f"<p>Configuração lida de <code>{escape(str(cfg.arquivo))}</code>.</p>"
    linhas = [("Município", f"{cfg.nome or '—'} (IBGE {cfg.codigo_ibge or '—'}, {cfg.uf or '—'})")]
    linhas += [(rot, txt) for rot, txt in (x.split(": ", 1) for x in resolucao.linhas())]
    for papel, pessoa in cfg.responsaveis.itens():
        linhas.append((papel, pessoa.nome + (f" — {pessoa.cargo}" if pessoa.cargo else "")))
    for titulo, org, pessoa in (("Conselho de Saúde", cfg.conselho_saude, cfg.conselho_saude.presidente),
                                ("Fundo de Saúde", cfg.fundo_saude, cfg.fundo_saude.gestor)):
        if org.informado:
            lei = f"; {org.lei}" + (f" de {data_br(org.data_lei)}" if org.data_lei else "") if org.lei else ""
            linhas.append((titulo, (org.nome or "—") + lei + (f"; {pessoa.nome}" if pessoa.informada else "")))
    corpo = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>" for a, b in linhas)
    return f"{cabeca}<table class='siops-tabela'>{corpo}</table>"
