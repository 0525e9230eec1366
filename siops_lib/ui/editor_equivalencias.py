"""Editor de equivalências para o Jupyter (ipywidgets + ipydatagrid); toda mudança é gravada na hora.

Uma aba por tipo de equivalência, cada uma com uma grade (código local, descrição, valor, destino,
descrição do destino no catálogo, motivo, pontos, estado): sugestões em **verde**, confirmadas em
**preto**, pendentes e inválidas em vermelho, rejeitadas em cinza. Filtros (pendentes, sugeridas,
confirmadas, sem valor), confirmação em lote das sugestões selecionadas, edição do destino na própria
grade (validada no catálogo do exercício), busca no catálogo por código ou descrição, contador de
cobertura (itens e R$ pendentes) e desfazer. A lógica fica aqui, e não no notebook, para ser testada
sem navegador: os testes mudam células e apertam botões e conferem os arquivos gravados.
"""
from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .. import equivalencias as eq
from ..equivalencias.arquivos import quem_padrao
from ..erros import ErroSiops
from ..formatos import numero_br, percentual_br
from .grade_equivalencias import COLUNAS, GradeAba

__all__ = ["COLUNAS", "EditorEquivalencias", "copiar_para_o_exercicio_seguinte", "pasta_de_trabalho"]

FILTROS = [("Todos", "todos"), ("Pendentes", "pendentes"), ("Sugeridas", "sugeridas"), ("Confirmadas", "confirmadas"),
           ("Sem valor", "sem_valor")]


class EditorEquivalencias:
    """Editor das equivalências de uma pasta de dados (mostre com ``display(editor)`` ou só ``editor``)."""

    def __init__(self, pasta, entidade: str | None = None, quem: str | None = None, anterior=None):
        self.repo = eq.Repositorio(Path(pasta))
        self.anterior = eq.Repositorio(Path(anterior)) if anterior else None
        ents = self.repo.entidades
        self.entidade = w.Dropdown(options=[("(todas as entidades)", "")] + [(e, e) for e in ents],
                                   value=entidade or "", description="Entidade:")
        self.quem = w.Text(value=quem or quem_padrao(), description="Quem:", layout=w.Layout(width="260px"))
        self.filtro = w.ToggleButtons(options=FILTROS, value="todos", style={"button_width": "100px"})
        self.contador = w.HTML()
        self.mensagem = w.HTML()
        self.botao_confirmar = w.Button(description="Confirmar selecionadas", button_style="success", icon="check",
                                        tooltip="confirma as sugestões das linhas selecionadas", layout=w.Layout(width="200px"))
        self.botao_rejeitar = w.Button(description="Rejeitar selecionadas", icon="times", layout=w.Layout(width="180px"))
        self.botao_apagar = w.Button(description="Apagar linha(s)", icon="trash", layout=w.Layout(width="150px"),
                                     tooltip="apaga a equivalência gravada (o código volta a pendente ou à identidade)")
        self.botao_desfazer = w.Button(description="Desfazer", icon="undo", layout=w.Layout(width="110px"))
        self.botao_recarregar = w.Button(description="Recarregar", icon="refresh", layout=w.Layout(width="120px"))
        self.busca = w.Text(placeholder="código (ex.: 1112) ou palavras (ex.: iptu multa)", description="Catálogo:",
                            continuous_update=False, layout=w.Layout(width="420px"))
        self.resultados = w.Select(options=[], rows=6, layout=w.Layout(width="720px"))
        self.botao_aplicar = w.Button(description="Usar na linha selecionada", icon="arrow-down",
                                      layout=w.Layout(width="210px"))
        self.abas: dict[str, GradeAba] = {}
        self.tab = w.Tab()
        self._montar_abas()
        self.entidade.observe(lambda _: self.recarregar(), names="value")
        self.filtro.observe(lambda _: self.aba_atual.filtrar(), names="value")
        self.tab.observe(lambda _: self._trocou_aba(), names="selected_index")
        self.busca.observe(lambda _: self._buscar(), names="value")
        self.botao_confirmar.on_click(lambda _: self.confirmar_selecionadas())
        self.botao_rejeitar.on_click(lambda _: self._em_lote("rejeitar"))
        self.botao_apagar.on_click(lambda _: self._em_lote("apagar"))
        self.botao_desfazer.on_click(lambda _: self.desfazer())
        self.botao_recarregar.on_click(lambda _: self.recarregar())
        self.botao_aplicar.on_click(lambda _: self.aplicar_busca())
        self.widget = w.VBox([
            w.HTML(f"<b>{html.escape(self.repo.pasta.name)}</b> — exercício {self.repo.exercicio}. "
                   "<span style='color:green'>Verde</span>: sugestão; preto: confirmada; "
                   "<span style='color:#b00020'>vermelho</span>: pendente ou inválida. Edite a coluna "
                   "<i>destino</i> para informar ou corrigir o destino."),
            w.HBox([self.entidade, self.quem]), self.contador, self.filtro,
            w.HBox([self.botao_confirmar, self.botao_rejeitar, self.botao_apagar, self.botao_desfazer,
                    self.botao_recarregar]),
            self.mensagem, self.tab,
            w.HBox([self.busca, self.botao_aplicar]), self.resultados,
        ])
        self.recarregar()

    def _montar_abas(self) -> None:
        nomes = eq.abas_ativas(self.repo)
        self.abas = {n: GradeAba(self, n) for n in nomes}
        self.tab.children = [a.grade for a in self.abas.values()]
        for i, n in enumerate(nomes):
            self.tab.set_title(i, eq.ABAS[n].titulo)

    # ------------------------------------------------------------------ estado
    @property
    def escopo(self) -> str | None:
        return self.entidade.value or None

    @property
    def aba_atual(self) -> GradeAba:
        return list(self.abas.values())[self.tab.selected_index or 0]

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def avisar(self, texto: str, erro: bool = False) -> None:
        cor = "#b00020" if erro else "#1b5e20"
        self.mensagem.value = f"<span style='color:{cor}'>{html.escape(texto, quote=False)}</span>"

    def recarregar(self) -> None:
        """Relê a aba aberta; as outras são relidas quando forem abertas (abrir o editor fica rápido)."""
        for a in self.abas.values():
            a.desatualizada = True
        if self.abas:
            self.aba_atual.carregar()
        self.atualizar_contador()
        self._buscar()

    def _trocou_aba(self) -> None:
        """Ao trocar de aba: lê a aba se preciso e reaplica o filtro escolhido (o filtro vale para todas)."""
        a = self.aba_atual
        if getattr(a, "desatualizada", True):
            a.carregar()
        elif a.filtro_aplicado != self.filtro.value:
            a.filtrar()
        self._buscar()

    def atualizar_contador(self, abas=None) -> None:
        """Contador de pendências; ``abas`` recalcula só essas (as outras vêm da última contagem)."""
        if abas and getattr(self, "cobertura", None) is not None:
            novas = eq.cobertura(self.repo, self.escopo, abas).set_index("aba")
            cob = self.cobertura.set_index("aba")
            cob.loc[novas.index] = novas
            cob = cob.reset_index()
        else:
            cob = eq.cobertura(self.repo, self.escopo)
        obrig = cob[cob["obrigatoria"]]
        total, pend = obrig["valor_total"].sum(), obrig["valor_pendente"].sum()
        pct = 100.0 if total == 0 else 100 * (total - pend) / total
        partes = [f"{eq.ABAS[r.aba].titulo}: <b>{r.itens_pendentes}</b> ({numero_br(r.valor_pendente)})"
                  for r in cob.itertuples()]
        cor = "#1b5e20" if obrig["itens_pendentes"].sum() == 0 else "#b00020"
        self.contador.value = (f"<span style='color:{cor}'>Pendentes: <b>{int(obrig['itens_pendentes'].sum())}</b> "
                               f"itens · R$ <b>{numero_br(pend)}</b> · cobertura {percentual_br(pct)} do valor</span>"
                               f"<br><small>{' · '.join(partes)}</small>")
        self.cobertura = cob

    # ------------------------------------------------------------------ ações
    def _chave(self, codigo: str) -> tuple[str, str]:
        return (self.entidade.value or "", codigo)

    def gravar_destino(self, nome_aba: str, codigo: str, texto: str) -> bool:
        """Grava o destino digitado (texto vazio apaga a linha); erro de validação vira mensagem e nada muda."""
        aba = self.abas[nome_aba]
        try:
            if texto.strip():
                eq.definir(self.repo, nome_aba, self._chave(codigo), texto, self.quem.value)
                self.avisar(f"Gravado: {codigo} → {texto.strip()} (confirmada por {self.quem.value}).")
            else:
                eq.remover(self.repo, nome_aba, [self._chave(codigo)], self.quem.value)
                self.avisar(f"Equivalência de {codigo} apagada.")
            ok = True
        except ErroSiops as e:
            self.avisar(e.texto(), erro=True)
            ok = False
        aba.atualizar_codigos([codigo], no_lugar=True)
        self.atualizar_contador([nome_aba])
        return ok

    def _codigos_selecionados(self) -> list[str]:
        a = self.aba_atual
        return [a.visiveis.at[i, "codigo_local"] for i in a.linhas_selecionadas()]

    def confirmar_selecionadas(self) -> None:
        a = self.aba_atual
        sel = a.visiveis.iloc[a.linhas_selecionadas()]
        sel = sel[sel["estado"] == "sugerida"]
        if sel.empty:
            self.avisar("Selecione linhas com sugestão (em verde) para confirmar.", erro=True)
            return
        try:
            n = eq.confirmar(self.repo, a.nome, [self._chave(c) for c in sel["codigo_local"]], self.quem.value,
                             self.anterior)
            self.avisar(f"{n.get(a.nome, 0)} sugestão(ões) confirmada(s) por {self.quem.value}.")
        except ErroSiops as e:
            self.avisar(e.texto(), erro=True)
        a.atualizar_codigos(list(sel["codigo_local"]))
        self.atualizar_contador([a.nome])

    def _em_lote(self, acao: str) -> None:
        a = self.aba_atual
        codigos = self._codigos_selecionados()
        if not codigos:
            self.avisar("Selecione uma ou mais linhas na grade.", erro=True)
            return
        chaves = [self._chave(c) for c in codigos]
        try:
            if acao == "rejeitar":
                n = eq.rejeitar(self.repo, a.nome, chaves, self.quem.value, self.anterior)
                self.avisar(f"{n.get(a.nome, 0)} sugestão(ões) rejeitada(s).")
            else:
                n = eq.remover(self.repo, a.nome, chaves, self.quem.value)
                self.avisar(f"{n.get(a.nome, 0)} linha(s) apagada(s).")
        except ErroSiops as e:
            self.avisar(e.texto(), erro=True)
        a.atualizar_codigos(codigos)
        self.atualizar_contador([a.nome])

    def desfazer(self) -> None:
        try:
            r = eq.desfazer(self.repo, self.quem.value)
            self.avisar(f"Desfeita a operação '{r['operacao']}' de {r['quem']} "
                        f"({sum(r['alteradas'].values())} linha(s)).")
        except ErroSiops as e:
            self.avisar(e.texto(), erro=True)
        self.recarregar()

    def _buscar(self) -> None:
        if not self.abas:
            return
        df = eq.buscar_catalogo(self.aba_atual.nome, self.repo.exercicio, self.busca.value)
        self.resultados.options = [(f"{d} – {desc}", d) for d, desc in zip(df["destino"], df["descricao"])]

    def aplicar_busca(self) -> None:
        a = self.aba_atual
        linhas = a.linhas_selecionadas()
        if not linhas or not self.resultados.value:
            self.avisar("Escolha um resultado da busca e selecione a linha que vai recebê-lo.", erro=True)
            return
        self.gravar_destino(a.nome, a.visiveis.at[linhas[0], "codigo_local"], self.resultados.value)


def pasta_de_trabalho(pasta=None) -> Path:
    """Pasta de dados do notebook: a informada, a de ``SIOPS_PASTA_DADOS`` ou o exemplo (gerado se faltar).

    O exemplo fica em ``dados_exemplo/gerado/layout_proprio`` da raiz do projeto (procurada a partir da
    pasta atual), com parte das equivalências ainda por confirmar.
    """
    import os

    from .. import exemplo

    if pasta:
        return Path(pasta)
    if os.environ.get("SIOPS_PASTA_DADOS"):
        destino = Path(os.environ["SIOPS_PASTA_DADOS"])
    else:
        raiz = next((p for p in [Path.cwd(), *Path.cwd().parents] if (p / "dados_exemplo").is_dir()), Path.cwd())
        destino = raiz / "dados_exemplo" / "gerado" / "layout_proprio"
    if not (destino / "municipio.csv").is_file():
        if destino.name != "layout_proprio":
            raise ErroSiops("pasta de dados não encontrada (para gerar o exemplo, use uma pasta chamada "
                            "layout_proprio)", arquivo=destino)
        exemplo.gerar_tudo(destino.parent)
    return destino


def copiar_para_o_exercicio_seguinte(pasta, destino=None, quem: str | None = None) -> pd.DataFrame:
    """Copia as equivalências confirmadas de ``pasta`` para a pasta do exercício seguinte e devolve o relatório.

    Sem ``destino``, só para o município de exemplo: gera o exemplo do ano seguinte em
    ``<pasta>/../exercicio_<ano>/layout_proprio`` (se ainda não existe) e copia para lá.
    """
    from .. import exemplo

    repo = eq.Repositorio(Path(pasta))
    if destino is None:
        from ..leitura.layout_proprio import ler_tabela

        mun = ler_tabela(repo.pasta, "municipio", ["campo", "valor"])
        if dict(zip(mun["campo"], mun["valor"])).get("codigo_ibge") != exemplo.CODIGO_IBGE:
            raise ErroSiops("informe a pasta de dados do exercício seguinte (parâmetro PASTA_EXERCICIO_SEGUINTE)")
        ano = repo.exercicio + 1
        destino = repo.pasta.parent / f"exercicio_{ano}" / "layout_proprio"
        if not (destino / "municipio.csv").is_file():
            exemplo.gerar_tudo(destino.parent, exercicio=ano)
    return eq.copiar_exercicio(repo, Path(destino), quem)
