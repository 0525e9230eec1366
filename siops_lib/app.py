"""Aplicativo web do workbench (servido pelo Voilà com ``siops app``): o envio do bimestre, passo a passo, sem código.

O fluxo é o mesmo do comando ``siops bimestre`` (``siops_lib.bimestre``):

1. **Dados** — um dos municípios da pasta de dados (seletor), arquivos enviados pelo navegador (MSC ou layout
   próprio) ou a MSC baixada do SICONFI; exercício, bimestre e entidade.
2. **Cobertura e pendências** — quanto do valor tem equivalência confirmada e o que falta, com as sugestões a
   confirmar e o editor completo das equivalências.
3. **Críticas** — as mesmas da linha de comando (``criticas.executar`` com ``contexto.contexto_do_periodo``).
4. **Números** — o resumo ASPS e o Anexo 12 e os quadros do SIOPS no leiaute do relatório
   (``relatorio.html``). Com pendências ou erro nas críticas, os números são **provisórios**: nenhum veredito.
   O veredito do mínimo só aparece no consolidado (o mínimo vale para o ente, não para uma entidade).
5. **Gerar** — ``bimestre.gerar``: recusa quando há crítica de severidade erro, a não ser que o usuário marque
   "gerar com pendências" (e então cada arquivo sai marcado GERADO COM PENDÊNCIAS).

E a **configuração do município** num formulário (``configuracao.conferir_campo`` e ``configuracao.gravar``).

Só a tela: o cálculo é o da biblioteca e toda mudança de equivalência passa por ``siops_lib.equivalencias``.
Os widgets ficam em atributos, então os testes apertam os botões (``.click()``) sem navegador; os testes no
navegador usam o Chromium. Os cálculos ficam em cache por (bimestre, entidade): trocar de volta é imediato.
"""
from __future__ import annotations

import base64
import os
import threading
import time
from contextlib import contextmanager
from html import escape
from pathlib import Path

import ipywidgets as w

from .erros import ErroSiops
from .formatos import numero_br, percentual_br
from . import relogio

CONSOLIDADO = "consolidado"
QUEM = "aplicativo web"
ABAS_SUGESTAO = ("rubricas", "elementos", "recursos", "contas", "asps")
RESUMO_QUADROS = "Resumo (como no relatório)"
MAX_PENDENCIAS = 50
"""Pendências listadas na tela (as de maior valor; todas no editor)."""
LIMITE_DESCOMPACTADO = 2 * 1024**3
"""Tamanho máximo do conteúdo de um zip enviado pelo navegador, descompactado (2 GiB)."""

CSS = """
<style>
.siops-app { max-width: 1320px; }
.siops-app .widget-button, .siops-app .jupyter-button { width: auto; min-width: 9em; padding: 0 12px; }
.siops-app .widget-label { white-space: normal; }
.siops-app table.siops-tabela { border-collapse: collapse; font-size: 13px; }
.siops-app table.siops-tabela td, .siops-app table.siops-tabela th { border: 1px solid #c7cfd8; padding: 2px 6px; }
.siops-app .siops-relatorio table.dados td, .siops-app .siops-relatorio table.dados th { font-size: 12px; }
.siops-app .siops-relatorio table.dados td:first-child { white-space: normal; }
.siops-app .siops-relatorio .anexo12 table.dados { min-width: 1180px; }
.siops-app .siops-rolagem { max-height: 560px; overflow: auto; }
.siops-app a.siops-baixar { display: inline-block; margin: 4px 8px 4px 0; padding: 6px 14px; border-radius: 4px;
  background: #1f4e79; color: #fff !important; text-decoration: none; font-weight: bold; }
.siops-app a.siops-baixar:hover { background: #163a5b; }
.siops-app .siops-erro { color: #b00020; font-weight: bold; margin: 4px 0; }
.siops-app .siops-erro details { font-weight: normal; color: #333; }
.siops-app .siops-aviso { border: 1px solid #b36b00; color: #7a4a00; background: #fff8e6; padding: 6px 10px;
  margin: 4px 0; }
.siops-app .siops-ok { color: #1b5e20; font-weight: bold; }
.siops-app .siops-provisorio { color: #555; }
.siops-app .siops-ocupado { color: #1f4e79; font-weight: bold; }
.siops-app .siops-ocupado::before { content: ""; display: inline-block; width: 12px; height: 12px;
  margin-right: 8px; border: 3px solid #c7cfd8; border-top-color: #1f4e79; border-radius: 50%;
  animation: siops-gira 0.9s linear infinite; vertical-align: -2px; }
@keyframes siops-gira { to { transform: rotate(360deg); } }
.siops-app .siops-criticas td:nth-child(3) { min-width: 14em; }
.siops-app .lm-TabBar-tab { flex: 0 0 auto !important; max-width: none !important; min-width: 0 !important; }
.siops-app .siops-campo-erro { color: #b00020; font-size: 12px; }
</style>
"""


def _erro(e: Exception | str, contexto: str = "") -> str:
    """Erro curto em português (a primeira linha) e, se houver mais, os detalhes recolhidos."""
    if isinstance(e, ErroSiops):
        texto = e.texto()
    elif isinstance(e, str):
        texto = e
    else:
        texto = f"erro inesperado do programa ({type(e).__name__}: {e})"
    primeira, _, resto = texto.partition("\n")
    if len(primeira) > 300:
        primeira, resto = primeira[:300] + "…", texto
    detalhes = f"<details><summary>detalhes</summary><pre>{escape(resto)}</pre></details>" if resto.strip() else ""
    prefixo = f"{escape(contexto)}: " if contexto else ""
    return f'<div class="siops-erro">Erro: {prefixo}{escape(primeira)}{detalhes}</div>'


def _ocupado_html(texto: str) -> str:
    return f'<div class="siops-ocupado">{escape(texto)}</div>'


TIPOS = {".zip": "application/zip", ".pdf": "application/pdf", ".csv": "text/csv",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _link(caminho: Path, rotulo: str | None = None) -> str:
    """Link de download com cara de botão (o arquivo vai embutido na página)."""
    caminho = Path(caminho)
    dados = base64.b64encode(caminho.read_bytes()).decode("ascii")
    tipo = TIPOS.get(caminho.suffix, "application/octet-stream")
    return (f'<a class="siops-baixar siops-baixar-{caminho.suffix[1:]}" download="{escape(caminho.name)}" '
            f'href="data:{tipo};base64,{dados}">⬇ {escape(rotulo or caminho.name)}</a>')


def _tabela(linhas: list[tuple[str, str]], cabecalho: tuple[str, ...] = ()) -> str:
    cab = "<tr>" + "".join(f"<th>{escape(c)}</th>" for c in cabecalho) + "</tr>" if cabecalho else ""
    corpo = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in lin) + "</tr>" for lin in linhas)
    return f"<table class='siops-tabela'>{cab}{corpo}</table>"


def e_pasta_de_dados(pasta: Path) -> bool:
    """Pasta do layout próprio (``municipio.csv``) ou de MSC (download do SICONFI ou arquivos ``msc*.csv``)?"""
    from .leitura.msc_api import e_download

    pasta = Path(pasta)
    if not pasta.is_dir():
        return False
    return ((pasta / "municipio.csv").is_file() or e_download(pasta)
            or any(p.name.lower().startswith("msc") for p in pasta.glob("*.csv")))


def pastas_de_dados(raiz: Path, profundidade: int = 2) -> list[Path]:
    """As pastas de dados em ``raiz`` e abaixo dela (até ``profundidade`` níveis), em ordem alfabética."""
    raiz = Path(raiz)
    achadas = [raiz] if e_pasta_de_dados(raiz) else []
    nivel = [raiz]
    for _ in range(profundidade):
        proximo = []
        for p in nivel:
            try:
                filhos = sorted(x for x in p.iterdir() if x.is_dir() and not x.name.startswith((".", "_")))
            except OSError:
                continue
            for f in filhos:
                if e_pasta_de_dados(f):
                    achadas.append(f)
                elif f.name not in ("equivalencias", "respostas", "saida_app"):
                    proximo.append(f)
        nivel = proximo
    return achadas


class _Calculo:
    """O que foi calculado para um (bimestre, entidade): guardado em cache enquanto a pasta não muda."""

    def __init__(self):
        self.resultado = None
        self.comparacoes = None
        self.contexto_relatorio = None
        self.criticas = None
        self.html_anexo = None
        self.html_quadros: dict[tuple, str] = {}


class Aplicativo:
    """Tela do aplicativo. ``pasta``: pasta de dados (padrão: ``SIOPS_PASTA_DADOS`` ou o exemplo); ``raiz``: onde
    procurar os municípios do seletor (padrão: ``SIOPS_RAIZ_DADOS`` ou a pasta acima da de dados); ``saida``: onde
    gravar o envio (padrão: ``saida_app`` ao lado da pasta de dados); ``config``: a configuração do município
    (padrão: ``SIOPS_CONFIG`` ou o ``configuracao.toml`` da pasta); ``segundo_plano``: gerar sem travar a tela
    (padrão: sim dentro de um kernel, não nos testes sem navegador)."""

    def __init__(self, pasta=None, saida=None, config=None, raiz=None, segundo_plano: bool | None = None,
                 abrir: bool = True):
        pasta = pasta or os.environ.get("SIOPS_PASTA_DADOS") or None
        if pasta is None:   # o exemplo (gerado se faltar); com pasta informada, nada de importar o editor agora
            from .ui.editor_equivalencias import pasta_de_trabalho

            pasta = pasta_de_trabalho(None)
        pasta = Path(pasta)
        self._saida_fixa = Path(saida) if saida else None
        self.arquivo_config = Path(config) if config else (Path(os.environ["SIOPS_CONFIG"])
                                                           if os.environ.get("SIOPS_CONFIG") else None)
        if raiz is None and os.environ.get("SIOPS_RAIZ_DADOS"):
            raiz = os.environ["SIOPS_RAIZ_DADOS"]
        self.raiz = Path(raiz) if raiz else (pasta.parent if e_pasta_de_dados(pasta) else pasta)
        if segundo_plano is None:
            segundo_plano = _num_kernel()
        self.segundo_plano = bool(segundo_plano)
        self.dados = None
        self._todos = None
        self.resolucao = None
        self.configuracao = None
        self._digitais = []
        self._cache: dict[tuple, _Calculo] = {}
        self.envio = None
        self.arquivos: dict[str, Path] = {}
        self.tabela_criticas = None
        self._tarefa: threading.Thread | None = None
        self._lida = None
        self._assinatura_lida = None
        self._trava = threading.RLock()
        """Uma ação de cada vez sobre os dados (a vigilância dos arquivos não relê no meio de uma)."""
        self.pasta_publicos = Path(os.environ.get("SIOPS_PASTA_PUBLICOS") or "dados_publicos")
        estilo = {"description_width": "initial"}

        # 1. dados
        self.seletor_pasta = w.Dropdown(description="Município (pasta)", style=estilo, layout=w.Layout(width="640px"))
        self.seletor_pasta.add_class("siops-seletor-pasta")
        self.campo_pasta = w.Text(value=str(pasta), description="Outra pasta no servidor", style=estilo,
                                  layout=w.Layout(width="640px"))
        self.campo_pasta.add_class("siops-campo-pasta")
        self.botao_abrir = w.Button(description="Abrir pasta", icon="folder-open")
        self.botao_abrir.add_class("siops-abrir")
        self.envio_arquivos = w.FileUpload(accept=".csv,.zip,.toml", multiple=True,
                                           description="Enviar arquivos (MSC ou layout próprio)",
                                           layout=w.Layout(width="auto"))
        self.envio_arquivos.add_class("siops-enviar-arquivos")
        self.campo_ibge = w.Text(description="Código IBGE", placeholder="ex.: 3106705", style=estilo,
                                 layout=w.Layout(width="240px"))
        self.campo_ano = w.BoundedIntText(description="Ano (SICONFI)", value=relogio.instante().year - 1, min=2023,
                                          max=2100, style=estilo, layout=w.Layout(width="200px"))
        self.botao_siconfi = w.Button(description="Baixar do SICONFI", icon="download",
                                      tooltip="MSC do município pela API pública do Tesouro (com cache: sem rede depois)")
        self.exercicio = w.Dropdown(description="Exercício", style=estilo, layout=w.Layout(width="170px"))
        self.bimestre = w.Dropdown(description="Bimestre", style=estilo, layout=w.Layout(width="210px"),
                                   options=[(f"{b}º bimestre", b) for b in range(1, 7)], value=6)
        self.entidade = w.Dropdown(description="Entidade", style=estilo, layout=w.Layout(width="460px"))
        self.bimestre.add_class("siops-bimestre")
        self.entidade.add_class("siops-entidade")
        self.progresso = w.HTML()
        self.progresso.add_class("siops-progresso")
        self.mensagem = w.HTML()
        self.mensagem.add_class("siops-mensagem")
        self.resumo = w.HTML()
        self.resumo.add_class("siops-resumo")
        self.aviso_mudanca = w.HTML()
        self.botao_reler = w.Button(description="Reler a pasta e refazer as contas", icon="refresh",
                                    layout=w.Layout(width="auto", display="none"))
        self.botao_reler.add_class("siops-reler")
        self.botao_reler.on_click(lambda _: self.reler())

        # 2. cobertura e pendências
        self.cobertura = w.HTML()
        self.cobertura.add_class("siops-cobertura")
        self.sugestoes = w.Dropdown(description="Sugestão", style=estilo, layout=w.Layout(width="780px"))
        self.sugestoes.add_class("siops-sugestoes")
        self.botao_confirmar = w.Button(description="Confirmar sugestão", button_style="success", icon="check")
        self.botao_confirmar.add_class("siops-confirmar")
        self.mensagem_equivalencias = w.HTML()
        self.mensagem_equivalencias.add_class("siops-mensagem-equivalencias")
        self.botao_editor = w.Button(description="Abrir o editor completo", icon="table")
        self.botao_editor.add_class("siops-abrir-editor")
        self.area_editor = w.VBox()

        # 3. críticas
        self.criticas = w.HTML()
        self.criticas.add_class("siops-criticas")
        # 4. números
        self.anexo = w.HTML()
        self.anexo.add_class("siops-anexo12")
        self.quadros = w.HTML()
        self.quadros.add_class("siops-quadros")
        self.seletor_quadro = w.Dropdown(description="Quadro", style=estilo, layout=w.Layout(width="560px"),
                                         options=[(RESUMO_QUADROS, "")])
        self.seletor_quadro.add_class("siops-seletor-quadro")
        self.seletor_pasta_siops = w.Dropdown(description="Pasta", style=estilo, layout=w.Layout(width="560px",
                                                                                                  display="none"))
        self.seletor_pasta_siops.add_class("siops-seletor-pasta-siops")
        # 5. gerar
        self.com_pendencias = w.Checkbox(description="gerar com pendências (cada arquivo sai marcado "
                                                     "GERADO COM PENDÊNCIAS)", value=False, indent=False,
                                         layout=w.Layout(width="auto"))
        self.com_pendencias.add_class("siops-com-pendencias")
        self.botao_gerar = w.Button(description="Gerar o envio do bimestre", button_style="primary",
                                    icon="file-archive-o", layout=w.Layout(width="auto"))
        self.botao_gerar.add_class("siops-gerar")
        self.mensagem_gerar = w.HTML()
        self.mensagem_gerar.add_class("siops-mensagem-gerar")
        self.downloads = w.HTML()
        self.downloads.add_class("siops-downloads")
        # configuração do município
        from .ui.formulario_configuracao import FormularioConfiguracao

        self.formulario = FormularioConfiguracao(ao_gravar=self._configuracao_gravada)
        self.municipio = w.HTML()
        self.municipio.add_class("siops-municipio")

        self.botao_abrir.on_click(lambda _: self.abrir())
        self.botao_siconfi.on_click(lambda _: self.baixar_municipio())
        self.botao_confirmar.on_click(lambda _: self.confirmar_sugestao())
        self.botao_editor.on_click(lambda _: self.abrir_editor())
        self.botao_gerar.on_click(lambda _: self.gerar())
        self.envio_arquivos.observe(lambda _: self.receber_envio(), names="value")
        self._observando = False

        self.abas = w.Tab(children=[
            w.VBox([w.HTML("<p>Quanto do valor dos códigos locais já tem equivalência confirmada (o cálculo só usa "
                           "as confirmadas) e o que ainda falta:</p>"), self.cobertura,
                    w.HBox([self.sugestoes, self.botao_confirmar]), self.mensagem_equivalencias,
                    self.botao_editor, self.area_editor]),
            self.criticas,
            w.VBox([self.anexo]),
            w.VBox([w.HBox([self.seletor_quadro, self.seletor_pasta_siops]), self.quadros]),
            w.VBox([w.HTML("<p>Gera o envio completo do bimestre, como o comando <code>siops bimestre</code>: "
                           "críticas, arquivos .IMPT (zip), fichas de digitação, relatório PDF e XLSX, dados "
                           "abertos e o manifesto. Com erro nas críticas, a geração é recusada — a não ser que "
                           "você marque a opção abaixo.</p>"),
                    self.com_pendencias, self.botao_gerar, self.mensagem_gerar, self.downloads]),
            w.VBox([self.formulario.widget, self.municipio]),
        ])
        self.TITULOS = ["2. Cobertura e pendências", "3. Críticas", "4. Anexo 12", "4. Quadros do SIOPS",
                        "5. Gerar o envio", "Configuração do município"]
        for i, titulo in enumerate(self.TITULOS):
            self.abas.set_title(i, titulo)
        self.abas.add_class("siops-abas")
        self.abas.observe(lambda _: self._mostrar_aba(), names="selected_index")
        self.seletor_pasta.observe(self._escolheu_pasta, names="value")
        self.seletor_quadro.observe(lambda _: self._trocou_quadro(), names="value")
        self.seletor_pasta_siops.observe(lambda _: self._mostrar_aba(), names="value")
        self._atualizar_seletor()
        self.widget = w.VBox([
            w.HTML(CSS + "<h2>SIOPS Workbench</h2>"),
            w.HTML("<b>1. Escolha os dados</b>"),
            w.HBox([self.seletor_pasta]),
            w.HBox([self.campo_pasta, self.botao_abrir]),
            w.HBox([self.envio_arquivos, self.campo_ibge, self.campo_ano, self.botao_siconfi]),
            w.HBox([self.exercicio, self.bimestre, self.entidade]),
            self.progresso, self.mensagem, w.HBox([self.aviso_mudanca, self.botao_reler]), self.resumo, self.abas,
        ])
        self.widget.add_class("siops-app")
        self._controles = [self.seletor_pasta, self.botao_abrir, self.botao_siconfi, self.bimestre, self.entidade,
                           self.botao_confirmar, self.botao_editor, self.botao_gerar, self.envio_arquivos]
        if abrir:
            self.abrir()

    def abrir_em_segundo_plano(self) -> None:
        """Abre a pasta sem segurar a primeira tela (o notebook do aplicativo mostra a página e depois lê os dados) e
        passa a vigiar os arquivos da pasta (uma página aberta antes de outra aba mudar os dados fica sabendo)."""
        if not self.segundo_plano:
            self.abrir()
            return
        self.progresso.value = _ocupado_html("Lendo os dados e a configuração do município…")
        self._tarefa = threading.Thread(target=self.abrir, name="siops-abrir", daemon=True)
        self._tarefa.start()
        self._vigia = threading.Thread(target=self._vigiar, name="siops-vigia", daemon=True)
        self._vigia.start()

    def assinatura(self) -> tuple:
        """Nome, tamanho e data de cada arquivo de dados da pasta (CSV, TOML, JSONL): muda quando alguém grava."""
        pasta = self.pasta
        itens = []
        try:
            for p in sorted(pasta.rglob("*")):
                if p.suffix.lower() in (".csv", ".toml", ".jsonl") and p.is_file():
                    st = p.stat()
                    itens.append((str(p.relative_to(pasta)), st.st_size, st.st_mtime_ns))
        except OSError:
            pass
        if self.arquivo_config and self.arquivo_config.is_file():
            st = self.arquivo_config.stat()
            itens.append((str(self.arquivo_config), st.st_size, st.st_mtime_ns))
        return tuple(itens)

    def conferir_mudancas(self) -> bool:
        """Os arquivos mudaram desde a leitura? Sem o editor aberto, relê sozinho; com ele, avisa e oferece reler."""
        if self._lida is None or self._assinatura_lida is None or (self._tarefa is not None and self._tarefa.is_alive()):
            return False
        if not self._trava.acquire(blocking=False):
            return False
        try:
            return self._reler_se_mudou()
        finally:
            self._trava.release()

    def _reler_se_mudou(self) -> bool:
        if self._lida != self.pasta or self.assinatura() == self._assinatura_lida:
            return False
        if self.area_editor.children:
            self.aviso_mudanca.value = ("<div class='siops-aviso siops-dados-mudaram'>Os arquivos da pasta mudaram "
                                        "depois da leitura (o editor gravou equivalências, por exemplo): os números "
                                        "abaixo são os de antes.</div>")
            self.botao_reler.layout.display = ""
            self._assinatura_lida = self.assinatura()
        else:
            bimestre, entidade = self.bimestre.value, self.entidade.value
            self.abrir()
            self._restaurar(bimestre, entidade)
        return True

    def _vigiar(self, intervalo: float = 2.0) -> None:
        while True:
            time.sleep(intervalo)   # ritmo da vigilância dos arquivos (não é espera de resultado)
            try:
                self.conferir_mudancas()
            except Exception as e:  # noqa: BLE001 — a vigilância nunca derruba a página
                self.mensagem.value = _erro(e, "reler a pasta")

    def _restaurar(self, bimestre, entidade) -> None:
        if bimestre in [v for _, v in self.bimestre.options]:
            self.bimestre.value = bimestre
        if entidade in [v for _, v in self.entidade.options]:
            self.entidade.value = entidade

    def reler(self) -> None:
        """Relê a pasta mantendo o bimestre e a entidade escolhidos."""
        bimestre, entidade = self.bimestre.value, self.entidade.value
        self.abrir()
        self._restaurar(bimestre, entidade)

    # ------------------------------------------------------------------------------ utilidades da tela

    @contextmanager
    def _trabalhando(self, texto: str):
        """Progresso na tela e controles desabilitados enquanto uma ação roda."""
        with self._trava:
            antes = {c: c.disabled for c in self._controles}
            for c in self._controles:
                c.disabled = True
            self.progresso.value = _ocupado_html(texto)
            try:
                yield
            finally:
                for c, d in antes.items():
                    c.disabled = d
                self.progresso.value = ""

    @property
    def pasta(self) -> Path:
        return Path(self.campo_pasta.value.strip())

    @property
    def saida(self) -> Path:
        return self._saida_fixa or self.pasta.parent / "saida_app"

    def _e_msc(self) -> bool:
        return not (self.pasta / "municipio.csv").is_file() and e_pasta_de_dados(self.pasta)

    def _atualizar_seletor(self) -> None:
        atual = self.pasta.resolve() if self.pasta.exists() else self.pasta
        pastas = pastas_de_dados(self.raiz)
        opcoes = []
        for p in pastas:
            try:
                rot = str(p.relative_to(self.raiz)) if p != self.raiz else p.name
            except ValueError:
                rot = str(p)
            tipo = "layout próprio" if (p / "municipio.csv").is_file() else "MSC"
            opcoes.append((f"{rot} ({tipo})", str(p.resolve())))
        if str(atual) not in [v for _, v in opcoes]:
            opcoes.append((f"{self.pasta.name} (outra pasta)", str(atual)))
        self._mudando_seletor = True
        try:
            self.seletor_pasta.options = opcoes
            self.seletor_pasta.value = str(atual)
        finally:
            self._mudando_seletor = False

    def _escolheu_pasta(self, mudanca) -> None:
        if getattr(self, "_mudando_seletor", False) or not mudanca["new"]:
            return
        self.campo_pasta.value = mudanca["new"]
        self.abrir()

    def _limpar(self) -> None:
        """Apaga da tela tudo o que era da pasta anterior."""
        self.dados = self._todos = None
        self._lida = self._assinatura_lida = None
        self._cache.clear()
        self.tabela_criticas = None
        self.envio = None
        self.arquivos = {}
        for h in (self.resumo, self.cobertura, self.criticas, self.anexo, self.quadros, self.downloads,
                  self.mensagem_gerar, self.mensagem_equivalencias, self.municipio):
            h.value = ""
        self.area_editor.children = []
        self.sugestoes.options = [("(abra uma pasta de dados)", None)]
        self.exercicio.options = []
        self.entidade.options = []

    # ------------------------------------------------------------------------------ 1. dados

    def baixar_municipio(self) -> None:
        """Baixa (ou lê do cache) a MSC do município do código IBGE e abre a pasta do download."""
        from . import publicos

        ibge = self.campo_ibge.value.strip()
        with self._trabalhando(f"Baixando a MSC do município {ibge} do SICONFI…"):
            try:
                destino = publicos.municipio(ibge, int(self.campo_ano.value), pasta=self.pasta_publicos /
                                             f"{ibge}_{int(self.campo_ano.value)}", progresso=False)
            except Exception as e:  # noqa: BLE001 — a tela mostra o erro em vez de quebrar
                self.mensagem.value = _erro(e, "baixar do SICONFI")
                return
        self.campo_pasta.value = str(destino)
        self.abrir()

    def receber_envio(self) -> Path | None:
        """Grava os arquivos enviados pelo navegador numa pasta nova (zip é extraído) e a abre."""
        import zipfile

        arquivos = list(self.envio_arquivos.value or ())
        if not arquivos:
            return None
        destino = self.saida / "enviados" / relogio.instante(padrao="agora").strftime("%Y%m%d_%H%M%S")
        n = 1
        while destino.exists():
            destino = destino.with_name(destino.name.split("-")[0] + f"-{n}")
            n += 1
        destino.mkdir(parents=True)
        try:
            for a in arquivos:
                nome = Path(a["name"]).name
                conteudo = bytes(a["content"])
                if nome.lower().endswith(".zip"):
                    import io

                    with zipfile.ZipFile(io.BytesIO(conteudo)) as z:
                        total = sum(m.file_size for m in z.infolist())
                        if total > LIMITE_DESCOMPACTADO:
                            raise ErroSiops(f"o zip '{nome}' descompactado teria {total / 2**20:.0f} MB (limite "
                                            f"{LIMITE_DESCOMPACTADO / 2**20:.0f} MB): copie os arquivos para a pasta "
                                            "no servidor")
                        for membro in z.infolist():
                            alvo = (destino / membro.filename).resolve()
                            if membro.is_dir() or destino.resolve() not in alvo.parents:
                                continue
                            alvo.parent.mkdir(parents=True, exist_ok=True)
                            alvo.write_bytes(z.read(membro))
                else:
                    (destino / nome).write_bytes(conteudo)
        except zipfile.BadZipFile:
            self.mensagem.value = _erro(ErroSiops("o arquivo enviado não é um zip válido (está corrompido ou "
                                                  "incompleto): envie de novo"))
            return None
        except RuntimeError:   # zip protegido por senha
            self.mensagem.value = _erro(ErroSiops("o zip enviado está protegido por senha: envie-o sem senha"))
            return None
        except NotImplementedError:   # método de compressão que o Python não abre (ex.: Deflate64)
            self.mensagem.value = _erro(ErroSiops("o zip enviado usa um método de compressão não suportado: "
                                                  "compacte de novo no formato zip comum"))
            return None
        except OSError as e:
            self.mensagem.value = _erro(ErroSiops(f"não foi possível gravar o arquivo enviado ({e.strerror or e})"))
            return None
        except ErroSiops as e:
            self.mensagem.value = _erro(e)
            return None
        # um zip com uma pasta só dentro: abre essa pasta
        filhos = [p for p in destino.iterdir()]
        if len(filhos) == 1 and filhos[0].is_dir():
            destino = filhos[0]
        self.campo_pasta.value = str(destino)
        self.abrir()
        return destino

    def _ler(self):
        """Dados (todas as entidades) e a impressão digital das entradas; layout próprio em leitura forçada (as
        pendências de equivalência viram críticas, como no ``siops bimestre``)."""
        from .relatorio import entradas

        if self._e_msc():
            return entradas.carregar(None, [self.pasta])
        if not (self.pasta / "municipio.csv").is_file():
            raise ErroSiops("pasta de dados não encontrada (falta municipio.csv ou arquivos da MSC)",
                            arquivo=self.pasta)
        return entradas.carregar(self.pasta, None, forcar=True)

    def abrir(self) -> None:
        """Lê a pasta e a configuração e preenche exercício, bimestres e entidades; depois a cobertura e o resumo."""
        with self._trava:
            self._abrir()

    def _abrir(self) -> None:
        from . import configuracao

        self._parar_observacao()
        self._limpar()
        self.mensagem.value = self.aviso_mudanca.value = ""
        self.botao_reler.layout.display = "none"
        assinatura = self.assinatura()
        self._atualizar_seletor()
        with self._trabalhando("Lendo os dados e a configuração do município…"):
            try:
                pasta_cfg = None if self._e_msc() else self.pasta
                cfg = configuracao.ler(pasta=pasta_cfg, arquivo=self.arquivo_config)
                todos, digitais = self._ler()
                todos = configuracao.aplicar(todos, cfg)
                self.resolucao = configuracao.resolver(cfg)
            except Exception as e:  # noqa: BLE001 — a tela mostra o erro em vez de quebrar
                self.mensagem.value = _erro(e, "abrir a pasta")
                self.formulario.mostrar(None, None)
                return
        self.configuracao = cfg
        self._todos, self._digitais = todos, digitais
        self._lida, self._assinatura_lida = self.pasta, assinatura
        self.formulario.mostrar(cfg, self._arquivo_da_configuracao())
        self.municipio.value = _municipio_html(cfg, self.resolucao)
        self.exercicio.options = [(str(todos.exercicio), todos.exercicio)]
        self.exercicio.value = todos.exercicio
        cobertos = [b for b in range(1, 7) if 2 * b in todos.meses] or [6]
        self.bimestre.options = [(f"{b}º bimestre", b) for b in cobertos]
        self.bimestre.value = cobertos[-1]
        ents = [("Consolidado (todas as entidades)", CONSOLIDADO)] + [
            (f"{n} ({e})", e) for e, n in zip(todos.entidades["entidade"], todos.entidades["nome"])]
        self.entidade.options = ents
        self.entidade.value = CONSOLIDADO
        self._observar()
        self.mostrar_cobertura()
        self.calcular()

    def _arquivo_da_configuracao(self) -> Path | None:
        from . import configuracao

        if self.arquivo_config:
            return self.arquivo_config
        return None if self._e_msc() else self.pasta / configuracao.NOME_ARQUIVO

    def _configuracao_gravada(self) -> None:
        """Depois de gravar o formulário: relê a configuração e refaz as contas (o cache é descartado)."""
        self.abrir()
        self.formulario.mensagem.value = ("<span class='siops-ok siops-configuracao-gravada'>Configuração gravada e "
                                          "relida; os números foram refeitos.</span>")

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
        with self._trava:
            self.calcular()

    # ------------------------------------------------------------------------------ 2. cobertura e pendências

    @property
    def com_pendencias_de_equivalencia(self) -> bool:
        t = self._todos
        return t is not None and bool(getattr(t, "forcado", False)) and len(getattr(t, "pendencias", [])) > 0

    def mostrar_cobertura(self) -> None:
        """Cobertura das equivalências e a lista das pendências (as de maior valor)."""
        from .relatorio.html import ROTULOS_COBERTURA, tabela_df

        if self._e_msc():
            self.cobertura.value = ("<p class='siops-ok'>Dados da MSC: os códigos já são os nacionais; não há "
                                    "equivalências a cobrir.</p>")
            self.atualizar_sugestoes()
            return
        from .equivalencias.cobertura import cobertura
        from .equivalencias.repositorio import Repositorio

        try:
            cob = cobertura(Repositorio(self.pasta, self._todos.exercicio))
        except Exception as e:  # noqa: BLE001
            self.cobertura.value = _erro(e, "cobertura das equivalências")
            return
        mostrar = cob.drop(columns=[c for c in ("aba",) if c in cob]).copy()
        mostrar["obrigatoria"] = mostrar["obrigatoria"].map(lambda x: "sim" if bool(x) else "não")
        casas = {c: 0 for c in ("itens_com_valor", "itens_pendentes")}
        numericas = ["itens_com_valor", "itens_pendentes", "valor_total", "valor_pendente", "percentual_valor"]
        partes = [tabela_df(mostrar, ROTULOS_COBERTURA, numericas=numericas, casas=casas)]
        if self.com_pendencias_de_equivalencia:
            lista = self._pendencias()
            n = len(lista)
            partes.insert(0, f"<div class='siops-aviso siops-pendencias'><b>{n} código(s) local(is) com valor e sem "
                             "equivalência confirmada.</b> Os valores deles ficam fora dos quadros: os números são "
                             "provisórios até confirmar as equivalências (abaixo ou no editor completo).</div>")
            rot = {"tipo": "Equivalência", "entidade": "Entidade", "codigo_local": "Código local",
                   "linhas": "Linhas", "valor": "Valor (R$)"}
            partes.append(f"<h4>Pendências (as {min(n, MAX_PENDENCIAS)} de maior valor; todas no editor)</h4>"
                          + tabela_df(lista.head(MAX_PENDENCIAS), rot, numericas=["linhas", "valor"],
                                      casas={"linhas": 0}))
        else:
            partes.insert(0, "<p class='siops-ok siops-sem-pendencias'>Todas as equivalências com valor estão "
                             "confirmadas.</p>")
        from .relatorio.html import para_tela

        self.cobertura.value = para_tela("".join(partes))
        self.atualizar_sugestoes()

    def _pendencias(self):
        """Pendências por código local (aba, entidade, código): linhas e valor somado, do maior valor ao menor."""
        p = self._todos.pendencias
        chaves = [c for c in ("tipo", "entidade", "codigo_local") if c in p]
        g = p.assign(_abs=p["valor"].abs()).groupby(chaves, dropna=False, sort=False)
        lista = g.agg(linhas=("valor", "size"), valor=("valor", "sum"), _abs=("_abs", "sum")).reset_index()
        lista["linhas"] = lista["linhas"].astype(float)
        return lista.sort_values("_abs", ascending=False).drop(columns="_abs").reset_index(drop=True)

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
                    rotulo = f"{aba} · {r.codigo_local} → {r.destino} ({r.descricao})"[:140]
                    opcoes.append((rotulo, (aba, r.entidade or "", r.codigo_local)))
        except Exception as e:  # noqa: BLE001
            self.mensagem_equivalencias.value = _erro(e, "sugestões")
        self.sugestoes.options = opcoes or [("(nenhuma sugestão pendente)", None)]
        self.sugestoes.value = opcoes[0][1] if opcoes else None

    def confirmar_sugestao(self) -> None:
        """Confirma a sugestão escolhida (pela biblioteca de equivalências) e refaz a leitura e as contas."""
        from . import equivalencias as eq

        escolha = self.sugestoes.value
        if not escolha:
            self.mensagem_equivalencias.value = "<p>Nenhuma sugestão para confirmar.</p>"
            return
        aba, entidade, codigo = escolha
        with self._trava:
            with self._trabalhando("Gravando a equivalência e refazendo as contas…"):
                try:
                    eq.confirmar(self.pasta, aba, [(entidade, codigo)], quem=os.environ.get("SIOPS_USUARIO") or QUEM)
                except Exception as e:  # noqa: BLE001
                    self.mensagem_equivalencias.value = _erro(e, "confirmar")
                    return
            self.reler()
        self.mensagem_equivalencias.value = (f"<p class='siops-confirmada'>Confirmada: {escape(aba)} · "
                                             f"{escape(codigo)} (gravada em equivalencias/{escape(aba)}.csv).</p>")

    def abrir_editor(self) -> None:
        from .ui.editor_equivalencias import EditorEquivalencias

        if self._e_msc():
            self.area_editor.children = [w.HTML("<p>A MSC usa os códigos nacionais: não há equivalências.</p>")]
            return
        with self._trabalhando("Abrindo o editor de equivalências…"):
            try:
                self.editor = EditorEquivalencias(self.pasta, quem=os.environ.get("SIOPS_USUARIO") or QUEM)
                self.area_editor.children = [self.editor.widget]
            except Exception as e:  # noqa: BLE001
                self.area_editor.children = [w.HTML(_erro(e, "editor"))]

    # ------------------------------------------------------------------------------ 4. números

    @property
    def periodo(self):
        from .periodo import periodo

        return periodo(bimestre=int(self.bimestre.value))

    def _chave(self) -> tuple:
        return (int(self.bimestre.value), self.entidade.value)

    def _calculo(self) -> _Calculo:
        return self._cache.setdefault(self._chave(), _Calculo())

    def calcular(self) -> None:
        """Resumo do período e da entidade escolhidos (em cache); o resto é calculado quando a aba é aberta."""
        from . import configuracao
        from .quadros import anexo12

        if self._todos is None:
            return
        c = self._calculo()
        try:
            ent = self.entidade.value
            self.dados = self._todos if ent == CONSOLIDADO else self._todos.filtrar_entidades([ent])
            per = self.periodo
            self.parametros = self.resolucao.parametros.resolvido(self.dados.exercicio)
            if c.resultado is None:
                c.resultado = anexo12.calcular(self.dados, per, self.parametros)
                c.comparacoes = configuracao.comparacoes(c.resultado, per, self.parametros, self.dados.exercicio,
                                                         self.resolucao.origens)
        except Exception as e:  # noqa: BLE001
            self.mensagem.value = _erro(e, "calcular")
            self.resumo.value = ""
            return
        self.resultado = c.resultado
        self.tabela_criticas = c.criticas
        notas = "".join(f"<p class='siops-nota-configuracao'>{escape(n)}</p>" for n in self.resolucao.configuracao.notas)
        self.mensagem.value = notas
        self.resumo.value = self._resumo_html(c)
        self._mostrar_aba()

    def provisorio(self, c: _Calculo | None = None) -> list[str]:
        """Por que os números do período são provisórios (vazio = não são)."""
        from . import criticas

        c = c or self._calculo()
        motivos = []
        if self.com_pendencias_de_equivalencia:
            motivos.append(f"{len(self._pendencias())} código(s) local(is) sem equivalência confirmada (aba 2)")
        if c.criticas is not None:
            n = criticas.contagem(c.criticas)["erro"]
            if n:
                motivos.append(f"{n} erro(s) nas críticas prévias (aba 3)")
        return motivos

    def _resumo_html(self, c: _Calculo) -> str:
        from .quadros import anexo12

        per, res, dados, par = self.periodo, c.resultado, self.dados, self.parametros
        col = anexo12.coluna_do_periodo(per)
        pct = anexo12.percentual_aplicado(res, per)
        motivos = self.provisorio(c)
        consolidado = self.entidade.value == CONSOLIDADO
        cabeca = (f"<b>{escape(dados.municipio or dados.codigo_ibge)}</b> — exercício {dados.exercicio}, "
                  f"{escape(per.descricao)}, {escape(self.entidade.label or '')}<br/>"
                  f"Base (III): R$ {numero_br(anexo12.valor(res, 'III', 'realizada'))} · Aplicado (XVI, {col}): "
                  f"R$ {numero_br(anexo12.valor(res, 'XVI', col))} · Mínimo (XVII): "
                  f"R$ {numero_br(anexo12.valor(res, 'XVII', col))}<br/>")
        if motivos:
            return (f"<div class='siops-aviso siops-provisorio-aviso'><b>NÚMEROS PROVISÓRIOS</b> — calculados sobre "
                    f"dados incompletos: {escape('; '.join(motivos))}. Nenhum veredito sobre o mínimo até "
                    f"resolver.</div><div class='siops-provisorio'>{cabeca}Aplicado em ASPS (provisório): "
                    f"<span class='siops-percentual siops-percentual-provisorio'>{percentual_br(pct)}</span></div>")
        if not consolidado:
            return (f"<div>{cabeca}Aplicado em ASPS pela entidade: <span class='siops-percentual'>"
                    f"{percentual_br(pct)}</span><br/><span class='siops-sem-veredito'>Sem veredito: o mínimo de "
                    f"{percentual_br(par.percentual_minimo)} da LC 141/2012 vale para o ente (o consolidado do "
                    "município), não para uma entidade isolada; o percentual dela é só informativo.</span></div>")
        situacao = "cumpre o mínimo" if pct >= par.percentual_minimo else "ABAIXO do mínimo"
        return (f"<div style='font-size:1.1em'>{cabeca}Aplicado em ASPS: <span class='siops-percentual' "
                f"style='font-size:1.4em;font-weight:bold'>{percentual_br(pct)}</span> "
                f"(<span class='siops-veredito'>{situacao}</span>)"
                + "".join(_comparacao_html(x) for x in c.comparacoes) + "</div>")

    def percentual(self) -> float:
        from .quadros import anexo12

        return anexo12.percentual_aplicado(self.resultado, self.periodo)

    def contexto_relatorio(self):
        """O ``Contexto`` do relatório (``relatorio.contexto``) do período e da entidade, com os dados já lidos: as
        seções HTML do relatório (Anexo 12, quadros) são as mesmas do PDF."""
        from .quadros import anexo12_controles
        from .relatorio.contexto import Contexto

        c = self._calculo()
        if c.contexto_relatorio is None:
            import pandas as pd

            per, dados = self.periodo, self.dados
            ent = self.entidade.value
            nome = ("Consolidado (todas as entidades)" if ent == CONSOLIDADO
                    else str(dados.entidades["nome"].iloc[0]) or ent)
            controles = anexo12_controles.calcular(dados, per, c.resultado, self.parametros.rpnp_sem_disponibilidade)
            c.contexto_relatorio = Contexto(
                municipio=self._todos.municipio or "", codigo_ibge=self._todos.codigo_ibge or "",
                exercicio=self._todos.exercicio, bimestre=per.bimestre, per=per, entidade=ent, entidade_nome=nome,
                parametros=self.parametros, dados=dados, anexo12=c.resultado, controles=controles,
                indicadores=pd.DataFrame(), siops={}, serie=pd.DataFrame(), arquivos=list(self._digitais),
                origem=self._todos.origem or "", pasta_dados=None if self._e_msc() else self.pasta,
                origens=dict(self.resolucao.origens), configuracao=self.resolucao.configuracao,
                populacao=self.resolucao.populacao)
        return c.contexto_relatorio

    def mostrar_anexo(self) -> None:
        from .relatorio import html

        c = self._calculo()
        if c.html_anexo is None:
            try:
                ctx = self.contexto_relatorio()
                aviso = ""
                if self.provisorio(c):
                    aviso = ("<div class='siops-aviso'>NÚMEROS PROVISÓRIOS: "
                             f"{escape('; '.join(self.provisorio(c)))}.</div>")
                c.html_anexo = aviso + f"<div class='siops-rolagem'>{html.para_tela(html.anexo12(ctx))}</div>"
            except Exception as e:  # noqa: BLE001
                self.anexo.value = _erro(e, "Anexo 12")
                return
        self.anexo.value = c.html_anexo

    def _trocou_quadro(self) -> None:
        self.seletor_pasta_siops.layout.display = "" if self.seletor_quadro.value == "siops_despesas" else "none"
        self._mostrar_aba()

    def mostrar_quadros(self) -> None:
        """O quadro escolhido no leiaute do SIOPS (``relatorio.html.quadro_html``) ou o resumo do relatório."""
        from . import quadros
        from .quadros import anexo12, indicadores
        from .relatorio import html

        c = self._calculo()
        if len(self.seletor_quadro.options) == 1:
            self.seletor_quadro.options = [(RESUMO_QUADROS, "")] + [(quadros.titulo(q), q)
                                                                     for q in quadros.quadros_siops()]
        nome, pasta = self.seletor_quadro.value or "", None
        try:
            ctx = self.contexto_relatorio()
            if not ctx.siops:
                ctx.siops = quadros.calcular_siops(self.dados, self.periodo)
            if nome == "siops_despesas":
                df = ctx.siops.get(nome)
                pastas = sorted(set(df["pasta"].astype(str)), key=_chave_da_pasta) if df is not None and len(df) else []
                if [v for _, v in self.seletor_pasta_siops.options] != pastas:
                    self.seletor_pasta_siops.options = [(p, p) for p in pastas]
                pasta = self.seletor_pasta_siops.value
            chave = (nome, pasta)
            if chave not in c.html_quadros:
                if not nome:
                    if ctx.indicadores is None or ctx.indicadores.empty:
                        ctx.indicadores = indicadores.calcular(
                            self.dados, self.periodo,
                            percentual_asps=anexo12.percentual_aplicado(c.resultado, self.periodo),
                            populacao=self.resolucao.populacao)
                    trecho = html.quadros_siops(ctx) + html.indicadores_html(ctx)
                else:
                    quadro_html = getattr(html, "quadro_html", None)
                    df = ctx.siops.get(nome)
                    trecho = (quadro_html(nome, df, self._todos.exercicio, pasta=pasta) if quadro_html is not None
                              else html.tabela_df(df))
                c.html_quadros[chave] = f"<div class='siops-rolagem'>{html.para_tela(trecho)}</div>"
        except Exception as e:  # noqa: BLE001
            self.quadros.value = _erro(e, "quadros do SIOPS")
            return
        self.quadros.value = c.html_quadros[chave]

    # ------------------------------------------------------------------------------ 3. críticas

    def _contexto_criticas(self):
        """O contexto das críticas do período: o mesmo da linha de comando e do relatório (com as decisões ASPS)."""
        from .contexto import contexto_do_periodo

        return contexto_do_periodo(self.dados, self.periodo, self.parametros, None if self._e_msc() else self.pasta)

    def rodar_criticas(self, contexto=None):
        """Roda as críticas prévias do período e da entidade escolhidos (em cache) e mostra a tabela (aba 3)."""
        from . import criticas

        if self.dados is None:
            return None
        c = self._calculo()
        if c.criticas is None or contexto is not None:
            with self._trabalhando("Rodando as críticas prévias…"):
                try:
                    c.criticas = criticas.executar(contexto=contexto or self._contexto_criticas())
                except Exception as e:  # noqa: BLE001
                    self.criticas.value = _erro(e, "críticas")
                    return None
            self.resumo.value = self._resumo_html(c)
        self.tabela_criticas = c.criticas
        self.criticas.value = _criticas_html(c.criticas)
        return c.criticas

    def _mostrar_aba(self) -> None:
        """Calcula (uma vez por período e entidade) o que a aba aberta mostra."""
        if self.dados is None:
            return
        i = self.abas.selected_index
        if i == 1:
            self.rodar_criticas()
        elif i == 2:
            with self._trabalhando("Montando o Anexo 12…"):
                self.mostrar_anexo()
        elif i == 3:
            with self._trabalhando("Calculando os quadros do SIOPS…"):
                self.mostrar_quadros()

    # ------------------------------------------------------------------------------ 5. gerar

    def gerar(self):
        """Gera o envio do bimestre (``bimestre.gerar``) em ``saida/envio_<exercício>_b<bimestre>``.

        Recusa com erro nas críticas, salvo "gerar com pendências" marcado. Em segundo plano (no navegador), a tela
        mostra o progresso e os botões ficam desabilitados até terminar; devolve o ``Envio`` (ou None)."""
        if self._todos is None:
            self.mensagem_gerar.value = _erro("abra uma pasta de dados primeiro")
            return None
        if self._tarefa is not None and self._tarefa.is_alive():
            return None
        if not self.segundo_plano:
            return self._gerar()
        self._tarefa = threading.Thread(target=self._gerar, name="siops-gerar", daemon=True)
        self._tarefa.start()
        return None

    def esperar(self, prazo: float = 600) -> None:
        """Espera a geração em segundo plano terminar (para scripts e testes)."""
        if self._tarefa is not None:
            self._tarefa.join(prazo)

    def _gerar(self):
        from . import bimestre

        per = self.periodo
        forcar = bool(self.com_pendencias.value)
        destino = self.saida / f"envio_{self._todos.exercicio}_b{per.bimestre}"
        self.mensagem_gerar.value = ""
        inicio = time.monotonic()
        with self._trabalhando("Gerando o envio do bimestre: críticas, arquivos .IMPT, fichas, relatório PDF e "
                               "XLSX, dados abertos e manifesto… (a tela volta sozinha quando terminar)"):
            try:
                envio = bimestre.gerar(self._todos, per, destino, self.resolucao,
                                       pasta_dados=None if self._e_msc() else self.pasta,
                                       msc=[self.pasta] if self._e_msc() else None, forcar=forcar)
            except Exception as e:  # noqa: BLE001
                self.mensagem_gerar.value = _erro(e, "gerar o envio")
                return None
        self.envio = envio
        if self.entidade.value == CONSOLIDADO:
            c = self._calculo()
            c.criticas = envio.criticas
            self.tabela_criticas = envio.criticas
            self.criticas.value = _criticas_html(envio.criticas)
            self.resumo.value = self._resumo_html(c)
        n = envio.contagem
        if envio.recusado:
            self.mensagem_gerar.value = (
                f"<div class='siops-erro siops-recusado'>Geração recusada: {n['erro']} erro(s) nas críticas prévias "
                "(aba 3). Corrija os dados ou marque \"gerar com pendências\" — então todo arquivo sai marcado "
                f"GERADO COM PENDÊNCIAS.</div>")
            self.arquivos = {"criticas": destino / "criticas.csv"}
            self.downloads.value = _link(destino / "criticas.csv", "criticas.csv")
            return envio
        self.arquivos = {p.suffix[1:] if p.suffix in (".zip", ".pdf", ".xlsx") else p.stem: p
                         for p in envio.arquivos if p.parent == destino}
        classe = "siops-aviso" if envio.situacao != bimestre.SITUACAO_OK else "siops-ok"
        self.mensagem_gerar.value = (
            f"<div class='{classe} siops-envio-pronto'>Envio gerado em {escape(str(destino))} — situação: "
            f"<b class='siops-situacao'>{escape(envio.situacao)}</b> ({n['erro']} erro(s), {n['alerta']} "
            f"alerta(s)); {len(envio.arquivos)} arquivo(s) em {numero_br(time.monotonic() - inicio, 1)} s.</div>")
        principais = [(p, r) for p, r in ((self.arquivos.get("zip"), "Arquivos .IMPT (zip)"),
                                          (self.arquivos.get("pdf"), "Relatório PDF"),
                                          (self.arquivos.get("xlsx"), "Relatório XLSX"),
                                          (destino / bimestre.MANIFESTO, "Manifesto"),
                                          (destino / "criticas.csv", "Críticas (CSV)")) if p and p.is_file()]
        self.downloads.value = "".join(_link(p, r) for p, r in principais)
        return envio


def _chave_da_pasta(p: str) -> tuple:
    """Ordem natural das pastas do SIOPS (``4_12`` antes de ``4_301``; ``10_…`` depois de ``9_…``)."""
    return tuple(int(x) if x.isdigit() else x for x in str(p).split("_"))


def _num_kernel() -> bool:
    """Rodando dentro de um kernel do Jupyter (Voilà, notebook)?"""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


def _criticas_html(tabela) -> str:
    from . import criticas
    from .relatorio.html import para_tela, tabela as tabela_html

    n = criticas.contagem(tabela)
    oc = criticas.ocorrencias(tabela)
    cabeca = (f"<p class='siops-contagem-criticas'><b>Críticas prévias</b> — {n['erro']} erro(s), {n['alerta']} "
              f"alerta(s); {n[criticas.OK]} sem ocorrência, {n[criticas.NAO_APLICAVEL]} não aplicável(is).</p>")
    if n["erro"]:
        cabeca += ("<div class='siops-aviso'>Com erro nas críticas, a geração do envio é recusada (aba 5), a não ser "
                   "que você marque \"gerar com pendências\".</div>")
    if len(oc):
        linhas = []
        for _, r in oc.iterrows():
            s = str(r["severidade"])
            linhas.append([escape(str(r["id"])), f'<span class="{escape(s)}">{escape(s)}</span>',
                           escape(str(r["titulo"])), escape(str(r["mensagem"]))])
        corpo = tabela_html([("Crítica", "cod"), ("Severidade", ""), ("Título", ""), ("Ocorrência", "")], linhas)
    else:
        corpo = "<p>Nenhuma ocorrência.</p>"
    return (cabeca + f"<div class='siops-rolagem'>{para_tela(corpo)}</div>"
            + "<p>As críticas do próprio programa do SIOPS continuam sendo a palavra final.</p>")


def _comparacao_html(c) -> str:
    """Uma linha do resumo: mínimo legal ou da Lei Orgânica, o valor em R$, a diferença e a situação."""
    if c.referencia == "legal":
        rotulo = f"{c.rotulo}, {percentual_br(c.percentual)}"
        situacao = "cumpre o mínimo" if c.cumpre else "ABAIXO do mínimo"
        classe = "siops-minimo-legal"
    else:
        rotulo = f"Lei Orgânica do Município, {percentual_br(c.percentual)}{c.de_onde}"
        situacao = "cumpre a Lei Orgânica" if c.cumpre else "ABAIXO da Lei Orgânica"
        classe = "siops-lei-organica"
    return (f"<br/><span class='{classe}'>{escape(rotulo)}: mínimo R$ {numero_br(c.minimo)} · diferença "
            f"R$ {numero_br(c.diferenca)} ({situacao})</span>")


def _municipio_html(cfg, resolucao) -> str:
    """A configuração do município em vigor: identificação, parâmetros com a origem, responsáveis."""
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
    return f"<h4>Em vigor</h4>{cabeca}" + _tabela([(escape(a), escape(b)) for a, b in linhas])
